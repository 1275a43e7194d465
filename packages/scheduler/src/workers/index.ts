export { threadPrelude } from './prelude.js';
export { runProgramOnWorkers, WorkerRuntime, type WorkerRuntimeOptions } from './runtime.js';
