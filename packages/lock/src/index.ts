export {
  InvalidHandleError,
  type LockErrorCode,
  OwnerDiedError,
  RuntimeError,
  ValueError,
} from './errors.js';
export { Gil, type GilOptions, type GilStats, type TakeOptions } from './gil.js';
export { GIL_BYTES, GIL_MAX_THREADS } from './layout.js';
export { cpython, DEFAULT_TICKS, fifo, type GilPolicy, legacy, type PolicyName, policies } from './policy.js';
export { currentThreadId, threadIdOfWorker } from './thread-id.js';
