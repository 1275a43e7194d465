export { threadPrelude } from './prelude.js';
export {
  closeIdleWorkers,
  runProgramOnWorkers,
  type WorkerRunResult,
  WorkerRuntime,
  type WorkerRuntimeOptions,
  workerPoolStats,
} from './runtime.js';
