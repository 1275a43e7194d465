/**
 * Conversion between heap objects and JS values, for tests, docs and results crossing back to JS.
 * Cold paths: plain JS recursion (depth is bounded by the JS stack) with a memo so cycles and
 * shared sub-objects map to one JS value.
 */
import { PyTypeError } from './errors.js';
import type { Heap } from './heap.js';
import {
  EMPTY_TUPLE_REF,
  FALSE_REF,
  NONE_REF,
  OFF_OBJ_KIND,
  OFF_OBJ_NSLOTS,
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
  TRUE_REF,
} from './layout.js';

/** A JS value `toJS` produces (and `fromJS` accepts, among any other `unknown`). */
export type JSValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly JSValue[]
  | Map<JSValue, JSValue>
  | Set<JSValue>
  | HandleValue
  | { readonly [key: string]: JSValue };

/** How `toJS` shows a vm object handle. */
export interface HandleValue {
  readonly kind: number;
  readonly slots: JSValue[];
}

export function toJS(heap: Heap, ref: number, memo = new Map<number, JSValue>()): JSValue {
  if ((ref & 1) !== 0) return ref >> 1; // tagged int
  const u8 = heap.u8;
  switch (u8[ref]) {
    case T_NONE:
      return null;
    case T_BOOL:
      return ref === TRUE_REF;
    case T_INT:
    case T_FLOAT:
      return heap.f64[(ref + 16) >> 3];
    case T_BIGINT:
      return heap.bigIntValue(ref);
    case T_STR:
      return heap.strValue(ref);
    case T_BYTES:
      return heap.bytesValue(ref);
    default:
      break;
  }
  const seen = memo.get(ref);
  if (seen !== undefined) return seen;
  switch (u8[ref]) {
    case T_TUPLE: {
      const out: JSValue[] = [];
      memo.set(ref, out);
      const n = heap.tupleLen(ref);
      for (let k = 0; k < n; k++) out.push(toJS(heap, heap.tupleGet(ref, k), memo));
      return Object.freeze(out);
    }
    case T_LIST: {
      const out: JSValue[] = [];
      memo.set(ref, out);
      for (const item of heap.listItems(ref)) out.push(toJS(heap, item, memo));
      return out;
    }
    case T_DICT: {
      const out = new Map<JSValue, JSValue>();
      memo.set(ref, out);
      for (let p = heap.dictNext(ref, -1); p >= 0; p = heap.dictNext(ref, p)) {
        out.set(toJS(heap, heap.dictKeyAt(ref, p), memo), toJS(heap, heap.dictValueAt(ref, p), memo));
      }
      return out;
    }
    case T_SET: {
      const out = new Set<JSValue>();
      memo.set(ref, out);
      for (const k of heap.setKeys(ref)) out.add(toJS(heap, k, memo));
      return out;
    }
    case T_OBJECT: {
      const slots: JSValue[] = [];
      const out: HandleValue = { kind: heap.i32[(ref + OFF_OBJ_KIND) >> 2], slots };
      memo.set(ref, out);
      const n = heap.i32[(ref + OFF_OBJ_NSLOTS) >> 2];
      for (let k = 0; k < n; k++) {
        const c = heap.objectGet(ref, k);
        slots.push(c === 0 ? undefined : toJS(heap, c, memo));
      }
      return out;
    }
    default:
      throw new PyTypeError(`toJS: cannot convert '${heap.typeOf(ref)}'`);
  }
}

export function fromJS(heap: Heap, value: unknown): number {
  if (value === null || value === undefined) return NONE_REF;
  switch (typeof value) {
    case 'boolean':
      return value ? TRUE_REF : FALSE_REF;
    case 'number':
      return Number.isInteger(value) ? heap.newInt(value) : heap.newFloat(value);
    case 'bigint':
      return heap.newBigInt(value);
    case 'string':
      return heap.newStr(value);
    default:
      break;
  }
  if (value instanceof Uint8Array) return heap.newBytes(value);
  const made: number[] = [];
  // Build children first, then the container; on failure drop what was built.
  try {
    if (Array.isArray(value)) {
      for (const item of value as readonly unknown[]) made.push(fromJS(heap, item));
      if (Object.isFrozen(value)) {
        if (made.length === 0) return EMPTY_TUPLE_REF;
        const t = heap.tupleNew(made.length);
        for (let k = 0; k < made.length; k++) heap.tupleInit(t, k, made[k]);
        made.length = 0;
        return t;
      }
      const list = heap.newList(made);
      for (const r of made) heap.decref(r);
      made.length = 0;
      return list;
    }
    if (value instanceof Map) {
      const d = heap.newDict();
      made.push(d);
      for (const [k, v] of value) {
        const kr = fromJS(heap, k);
        made.push(kr);
        const vr = fromJS(heap, v);
        made.push(vr);
        heap.dictSet(d, kr, vr);
        heap.decref(made.pop()!);
        heap.decref(made.pop()!);
      }
      made.length = 0;
      return d;
    }
    if (value instanceof Set) {
      const s = heap.newSet();
      made.push(s);
      for (const k of value) {
        const kr = fromJS(heap, k);
        made.push(kr);
        heap.setAdd(s, kr);
        heap.decref(made.pop()!);
      }
      made.length = 0;
      return s;
    }
    const proto = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
    if (proto === Object.prototype || proto === null) {
      const d = heap.newDict();
      made.push(d);
      for (const [k, v] of Object.entries(value as { readonly [key: string]: unknown })) {
        const kr = heap.newStr(k);
        made.push(kr);
        const vr = fromJS(heap, v);
        made.push(vr);
        heap.dictSet(d, kr, vr);
        heap.decref(made.pop()!);
        heap.decref(made.pop()!);
      }
      made.length = 0;
      return d;
    }
  } finally {
    for (const r of made) heap.decref(r);
  }
  const what =
    typeof value === 'object' ? (Object.getPrototypeOf(value)?.constructor?.name ?? 'object') : typeof value;
  throw new PyTypeError(`fromJS: cannot convert a ${what}`);
}
