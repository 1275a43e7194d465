/** `@gilkit/scheduler/workers` in browsers (the `browser` export condition): Web Workers, no `node:`. */

export {
  closeIdleWorkers,
  runProgramOnWorkers,
  type WorkerRunResult,
  WorkerRuntime,
  type WorkerRuntimeOptions,
} from './browser-runtime.js';
export { webWorkersUnavailable } from './platform-web.js';
export { threadPrelude } from './prelude.js';
