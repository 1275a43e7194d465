export { AsyncResult, type WaitOptions } from './async-result.js';
export {
  BrokenPoolError,
  PoolAbortError,
  PoolError,
  PoolTerminatedError,
  PoolTimeoutError,
  PoolTypeError,
  PoolValueError,
  RemoteTraceback,
  WorkerLostError,
} from './errors.js';
export type { ApplyOptions, CallOptions, ImapOptions, MapOptions, Progress } from './options.js';
export { defaultChunksize, defaultHighWaterMark } from './options.js';
export { Pool, type PoolOptions, type PoolState } from './pool.js';
export type { JsTask, PyTask, Task } from './task.js';
