export type { HandleValue, JSValue } from './convert.js';
export * from './errors.js';
export { Heap, type HeapAttachOptions, type HeapCreateOptions, type PyTypeName } from './heap.js';
export type { RefcountMode } from './layout.js';
export * as layout from './layout.js';
export {
  CHAR_BASE,
  CHAR_STRIDE,
  EMPTY_BYTES_REF,
  EMPTY_STR_REF,
  EMPTY_TUPLE_REF,
  FALSE_REF,
  NONE_REF,
  OFF_TYPE,
  OFF_VALUE,
  SMALL_INT_BASE,
  SMALL_INT_MAX,
  SMALL_INT_MIN,
  SMALL_INT_SHIFT,
  T_BIGINT,
  T_BOOL,
  T_BYTES,
  T_DICT,
  T_FLOAT,
  T_INT,
  T_LIST,
  T_NONE,
  T_OBJECT,
  T_SET,
  T_STR,
  T_TUPLE,
  TAGGED_MAX,
  TAGGED_MIN,
  TRUE_REF,
} from './layout.js';
export type { HeapStats } from './stats.js';
export type { VerifyOptions, VerifyReport } from './verify.js';
