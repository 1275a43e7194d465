export { threadPrelude } from './prelude.js';
export {
  runProgramOnWorkers,
  type WorkerRunResult,
  WorkerRuntime,
  type WorkerRuntimeOptions,
} from './runtime.js';
