/**
 * WorkerRuntime on Node `worker_threads` (see runtime-core.ts for the coordinator). Node only: it
 * imports `node:worker_threads`; browsers get browser.ts through the `browser` export condition.
 */
import type { RunProgramOptions, RunProgramResult } from '../run-program.js';
import { nodePlatform } from './platform-node.js';
import { runProgramOn, WorkerRuntimeCore, type WorkerRuntimeOptions } from './runtime-core.js';

export { closeIdleWorkers, workerPoolStats } from './platform-node.js';
export type { WorkerRunResult, WorkerRuntimeOptions } from './runtime-core.js';

/** MiniPy threads as Node worker threads under a real GIL: `new WorkerRuntime(options).run(source)`. */
export class WorkerRuntime extends WorkerRuntimeCore {
  constructor(options: WorkerRuntimeOptions = {}) {
    super(options, nodePlatform);
  }
}

/** `runProgram(..., { runtime: 'workers' })` lands here in Node. */
export function runProgramOnWorkers(source: string, options: RunProgramOptions): Promise<RunProgramResult> {
  return runProgramOn(nodePlatform, source, options);
}
