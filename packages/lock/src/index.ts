export { Condition, type WaitOptions } from './condition.js';
export {
  InvalidHandleError,
  type LockErrorCode,
  OwnerDiedError,
  RuntimeError,
  TimeoutError,
  ValueError,
} from './errors.js';
export { Event, type EventWaitOptions } from './event.js';
export { Gil, type GilOptions, type GilStats, type TakeOptions } from './gil.js';
export { GIL_BYTES, GIL_MAX_THREADS } from './layout.js';
export { type LockOptions, Mutex, type MutexHandleOptions, RLock } from './mutex.js';
export { cpython, DEFAULT_TICKS, fifo, type GilPolicy, legacy, type PolicyName, policies } from './policy.js';
export { type AcquireOptions, Semaphore, type SemaphoreOptions } from './semaphore.js';
export { currentThreadId, threadIdOfWorker } from './thread-id.js';
