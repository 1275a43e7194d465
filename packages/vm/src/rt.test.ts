import { type Heap, layout } from '@gilkit/heap';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  eq,
  frozensetType,
  intType,
  PyExc,
  PyIter,
  PyTypeError,
  pyErr,
  typeOf,
  ValueError,
} from './objects.js';
import { binaryOp, getItem } from './ops.js';
import {
  asType,
  bindHeap,
  builtinInfo,
  builtinSelf,
  cellGet,
  cellSet,
  decref,
  excOf,
  excRef,
  FALSE,
  H,
  handleOf,
  incref,
  intern,
  intOf,
  isFrozenSet,
  isIntLike,
  isIntRef,
  K_HANDLE,
  kindOf,
  LAYOUT_COPIES_RT,
  listItems,
  locking,
  lockRef,
  NONE,
  newBuiltin,
  newCell,
  newHandle,
  newHeap,
  newInt,
  newList,
  newListSteal,
  newSet,
  newSlice,
  newStr,
  newTuple,
  newTupleSteal,
  type PyHandle,
  type Ref,
  registerNative,
  sliceStop,
  strOf,
  TRUE,
  tupleItems,
  typeRef,
  unlockRef,
} from './rt.js';

/**
 * The heap source of this repository (with the host hooks rt relies on), imported by URL: in a
 * worktree `@gilkit/heap` may resolve to another checkout's build.
 */
async function heapClass(): Promise<typeof import('@gilkit/heap').Heap> {
  const url = new URL('../../heap/src/index.ts', import.meta.url).href;
  const m = (await import(/* @vite-ignore */ url)) as { Heap: typeof import('@gilkit/heap').Heap };
  return m.Heap;
}

let heap: Heap;
beforeEach(async () => {
  const HeapClass = await heapClass();
  heap = HeapClass.create({
    bytes: 4 << 20,
    shared: false,
    checked: true,
    taggedInts: true,
    refcountMode: 'gil',
  });
  bindHeap(heap);
});

/** Exact refcount check of the whole heap given the refs the test still owns. */
function verify(roots: Ref[] = []): void {
  const report = heap.verify({ roots });
  expect(report.errors).toEqual([]);
}

describe('rt', () => {
  it('copies the heap layout constants exactly', () => {
    const table = { ...layout, F_HOST: 2 } as unknown as Record<string, number>;
    for (const [name, value] of Object.entries(LAYOUT_COPIES_RT))
      expect([name, value]).toEqual([name, table[name]]);
    expect([NONE, TRUE, FALSE]).toEqual([layout.NONE_REF, layout.TRUE_REF, layout.FALSE_REF]);
  });

  it('newHeap makes a tagged-int gil heap and binds nothing by itself', () => {
    const h = newHeap({ bytes: 1 << 20 });
    expect(h.taggedInts).toBe(true);
    expect(h.refcountMode).toBe('gil');
    expect(H).toBe(heap);
  });

  it('tags small ints and normalizes big ones', () => {
    expect(newInt(5)).toBe((5 << 1) | 1);
    expect(newInt(-7)).toBe((-7 << 1) | 1);
    expect(newInt(5n)).toBe(newInt(5));
    expect(intOf(newInt(-(2 ** 30)))).toBe(-(2 ** 30));
    const big = newInt(2 ** 40);
    expect(big & 1).toBe(0);
    expect(intOf(big)).toBe(2 ** 40);
    const huge = newInt(2n ** 80n);
    expect(intOf(huge)).toBe(2n ** 80n);
    expect(newInt(-0)).toBe(newInt(0));
    expect(isIntRef(newInt(3))).toBe(true);
    expect(isIntRef(TRUE)).toBe(false);
    expect(isIntLike(TRUE)).toBe(true);
    expect(intOf(TRUE)).toBe(1);
    expect(typeOf(newInt(3))).toBe(intType);
    decref(big);
    decref(huge);
    verify();
  });

  it('constructors return new refs; newTuple/newList incref items, *Steal take them over', () => {
    const s = newStr('hello world');
    expect(heap.refcount(s)).toBe(1);
    const t = newTuple([s, newInt(1)]);
    expect(heap.refcount(s)).toBe(2);
    const l = newList([s]);
    expect(heap.refcount(s)).toBe(3);
    const s2 = newStr('stolen str');
    const t2 = newTupleSteal([s2]);
    expect(heap.refcount(s2)).toBe(1);
    const s3 = newStr('stolen too');
    const l2 = newListSteal([s3]);
    expect(heap.refcount(s3)).toBe(1);
    expect(listItems(l2)).toEqual([s3]);
    expect(tupleItems(t2)).toEqual([s2]);
    verify([s, t, l, t2, l2]);
    for (const r of [t, l, t2, l2]) decref(r);
    expect(heap.refcount(s)).toBe(1);
    decref(s);
    verify();
  });

  it('incref/decref fast path matches the heap (and ignores tagged ints and immortals)', () => {
    const s = newStr('counted');
    incref(s);
    incref(s);
    expect(heap.refcount(s)).toBe(3);
    decref(s);
    decref(s);
    incref(newInt(9));
    decref(NONE);
    const i = intern('interned name');
    expect(intern('interned name')).toBe(i);
    decref(i);
    expect(strOf(i)).toBe('interned name');
    decref(s);
    verify();
  });

  it('cells, slices and builtins hold their own references', () => {
    const v = newStr('cell content');
    const c = newCell(v);
    expect(heap.refcount(v)).toBe(2);
    cellSet(c, 0);
    expect(cellGet(c)).toBe(0);
    expect(heap.refcount(v)).toBe(1);
    const sl = newSlice(NONE, v, NONE);
    expect(sliceStop(sl)).toBe(v);
    const id = registerNative('probe', () => NONE, 'str');
    const b = newBuiltin(id, v);
    expect(builtinInfo(b).name).toBe('probe');
    expect(builtinSelf(b)).toBe(v);
    const unbound = newBuiltin(id);
    expect(builtinSelf(unbound)).toBe(0);
    decref(unbound);
    expect(heap.refcount(v)).toBe(3);
    verify([v, c, sl, b]);
    for (const r of [c, sl, b, v]) decref(r);
    verify();
  });

  it('type refs are immortal, one per type, and map back to their PyType', () => {
    const r = typeRef(intType);
    expect(typeRef(intType)).toBe(r);
    expect(asType(r)).toBe(intType);
    expect(heap.isImmortal(r)).toBe(true);
    expect(asType(NONE)).toBe(null);
  });

  it('finalizes handles when their last reference goes (dispose drops what they own)', () => {
    const owned = newStr('owned by a handle');
    let disposed = 0;
    const obj: PyHandle = {
      cls: intType,
      dispose() {
        disposed++;
        decref(owned);
      },
    };
    const h = newHandle(obj);
    expect(kindOf(h)).toBe(K_HANDLE);
    expect(handleOf(h)).toBe(obj);
    const holder = newList([h]);
    decref(h);
    expect(disposed).toBe(0);
    decref(holder);
    expect(disposed).toBe(1);
    verify();
  });

  it('a handle made by another thread of a shared heap is neither resolved nor finalized here', async () => {
    const HeapClass = await heapClass();
    const shared = HeapClass.create({ bytes: 2 << 20, shared: true, taggedInts: true, refcountMode: 'gil' });
    bindHeap(shared);
    let disposed = 0;
    const obj: PyHandle = {
      cls: intType,
      dispose() {
        disposed++;
      },
    };
    const h = newHandle(obj);
    const other = HeapClass.attach(shared.buffer); // a second thread's view: its own handle table
    bindHeap(other);
    expect(handleOf(h)).toBe(null);
    decref(h); // last reference dropped by the other thread: not its object to dispose
    expect(disposed).toBe(0);
    bindHeap(heap);
  });

  it('defers handle finalizers run inside a critical section to the unlock (heaps without a GIL)', async () => {
    const HeapClass = await heapClass();
    const h = HeapClass.create({ bytes: 2 << 20, shared: true, taggedInts: true, refcountMode: 'atomic' });
    bindHeap(h);
    expect(locking).toBe(true);
    let disposed = 0;
    const handle = newHandle({
      cls: intType,
      dispose() {
        disposed++;
      },
    });
    const l = newList();
    lockRef(l);
    decref(handle);
    expect(disposed).toBe(0);
    unlockRef(l);
    expect(disposed).toBe(1);
    decref(l);
    expect(h.verify({ roots: [] }).errors).toEqual([]);
    bindHeap(heap);
    expect(locking).toBe(false);
    expect(newHeap({ bytes: 1 << 20, refcountMode: 'biased' }).refcountMode).toBe('biased');
  });

  it('excRef caches one handle per live exception and excOf gives it back', () => {
    const e = pyErr(ValueError, 'bad value');
    const a = excRef(e);
    const b = excRef(e);
    expect(b).toBe(a);
    expect(excOf(a)).toBe(e);
    expect(e).toBeInstanceOf(PyExc);
    decref(a);
    decref(b);
    const c = excRef(e); // the first handle is gone (finalized): a fresh one
    expect(excOf(c)).toBe(e);
    decref(c);
  });

  it('frozensets: a header flag, CPython hash, equal by keys, usable as dict keys', () => {
    const items = [newInt(1), newInt(2), newInt(3)];
    const fs = newSet(items, true);
    const fs2 = newSet([items[2], items[1], items[0]], true);
    const s = newSet(items);
    expect(isFrozenSet(fs)).toBe(true);
    expect(isFrozenSet(s)).toBe(false);
    expect(typeOf(fs)).toBe(frozensetType);
    expect(eq(fs, s)).toBe(true);
    // python3 -c 'print(hash(frozenset({1, 2, 3})))'
    expect(heap.hash(fs)).toBe(Number(-272375401224217160n));
    const d = heap.newDict();
    heap.dictSet(d, fs, TRUE);
    expect(heap.dictGet(d, fs2)).toBe(TRUE);
    decref(d);
    for (const r of [fs, fs2, s]) decref(r);
    verify();
  });

  it('ops work on refs and raise Python errors', () => {
    const a = newStr('ab');
    const r = binaryOp(5, a, newInt(3));
    expect(strOf(r)).toBe('ababab');
    const l = newList([newInt(1), newInt(2)]);
    const first = getItem(l, newInt(-1));
    expect(intOf(first)).toBe(2);
    let err: unknown;
    try {
      binaryOp(0, a, newInt(1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PyExc);
    expect((err as PyExc).type).toBe(PyTypeError);
    expect(strOf((err as PyExc).args[0])).toBe('can only concatenate str (not "int") to str');
    for (const x of [a, r, l]) decref(x);
    expect(PyIter).toBeDefined();
  });
});
