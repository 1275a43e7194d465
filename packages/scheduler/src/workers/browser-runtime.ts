/**
 * WorkerRuntime on browser Web Workers (see runtime-core.ts for the coordinator, platform-web.ts for
 * the workers). Needs a cross-origin isolated page; `run()` rejects with `RuntimeUnavailableError`
 * otherwise. Runs from a page's main thread or from inside a worker (the coordinator never blocks).
 */
import type { RunProgramOptions, RunProgramResult } from '../run-program.js';
import { webPlatform } from './platform-web.js';
import { runProgramOn, WorkerRuntimeCore, type WorkerRuntimeOptions } from './runtime-core.js';

export { closeIdleWorkers } from './platform-web.js';
export type { WorkerRunResult, WorkerRuntimeOptions } from './runtime-core.js';

/** MiniPy threads as Web Workers under a real GIL: `new WorkerRuntime(options).run(source)`. */
export class WorkerRuntime extends WorkerRuntimeCore {
  constructor(options: WorkerRuntimeOptions = {}) {
    super(options, webPlatform);
  }
}

/** `runProgram(..., { runtime: 'workers' })` lands here in a browser. */
export function runProgramOnWorkers(source: string, options: RunProgramOptions): Promise<RunProgramResult> {
  return runProgramOn(webPlatform, source, options);
}
