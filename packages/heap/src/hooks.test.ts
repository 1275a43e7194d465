import { describe, expect, it } from 'vitest';
import { Heap } from './heap.js';
import { F_HOST, HOST_ROOTS, IMMORTAL_REFCOUNT_REPORTED } from './layout.js';

const create = () => Heap.create({ bytes: 1 << 20, shared: false, checked: true, taggedInts: true });

describe('host hooks', () => {
  it('calls the finalizer before a T_OBJECT is freed, with its slots still in place', () => {
    const h = create();
    const seen: [number, number, number][] = [];
    h.setFinalizer((ref, kind) => seen.push([ref, kind, h.objectGet(ref, 0)]));
    const s = h.newStr('payload');
    const o = h.newObject(7, 1, 1);
    h.objectSet(o, 0, s);
    h.decref(s);
    h.decref(o);
    expect(seen).toEqual([[o, 7, s]]);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('lets the finalizer drop references it owns (nested deallocation)', () => {
    const h = create();
    const owned = new Map<number, number>();
    h.setFinalizer((ref) => {
      const r = owned.get(ref);
      if (r !== undefined) {
        owned.delete(ref);
        h.decref(r);
      }
    });
    const inner = h.newObject(1, 0);
    const outer = h.newObject(1, 0);
    owned.set(outer, inner); // the JS side of `outer` holds `inner`
    const list = h.newList([outer]);
    h.decref(outer);
    h.decref(list); // frees list -> outer -> (finalizer) inner
    expect(owned.size).toBe(0);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    expect(h.stats().objectsByType.object ?? 0).toBe(0);
  });

  it('calls the finalizer for handles freed by collect()', () => {
    const h = create();
    const finalized: number[] = [];
    h.setFinalizer((ref) => finalized.push(ref));
    const a = h.newObject(3, 1);
    const b = h.newObject(3, 1);
    h.objectSet(a, 0, b);
    h.objectSet(b, 0, a);
    h.decref(a);
    h.decref(b);
    expect(finalized).toEqual([]);
    expect(h.collect()).toBe(2);
    expect(finalized.sort()).toEqual([a, b].sort());
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('rethrows a finalizer error only after the whole work list is freed', () => {
    const h = create();
    h.setFinalizer(() => {
      throw new Error('boom');
    });
    const a = h.newObject(1, 0);
    const b = h.newObject(1, 0);
    const t = h.newTuple([a, b]);
    h.decref(a);
    h.decref(b);
    expect(() => h.decref(t)).toThrow('boom');
    expect(h.verify({ roots: [] }).ok).toBe(true);
    h.setFinalizer(null);
  });

  it('immortalize: incref/decref are ignored and the object survives', () => {
    const h = create();
    const s = h.newStr('forever');
    h.immortalize(s);
    expect(h.isImmortal(s)).toBe(true);
    expect(h.refcount(s)).toBe(IMMORTAL_REFCOUNT_REPORTED);
    h.decref(s);
    h.decref(s);
    expect(h.strValue(s)).toBe('forever');
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('a set with the host flag is a frozenset: CPython hash, equal by keys, usable as a key', () => {
    const h = create();
    const fs = (items: (number | bigint)[]) => {
      const s = h.newSet();
      for (const x of items) {
        const r = typeof x === 'bigint' ? h.newBigInt(x) : h.newInt(x);
        h.setAdd(s, r);
        h.decref(r);
      }
      h.setHostFlag(s, true);
      return s;
    };
    const a = fs([1, 2, 3]);
    const b = fs([3, 2, 1]);
    const empty = fs([]);
    const mixed = fs([-1, 2 ** 40, 7]);
    // python3 -c 'print(hash(frozenset({1,2,3})), hash(frozenset()), hash(frozenset({-1, 2**40, 7})))'
    expect(h.hash(a)).toBe(Number(-272375401224217160n));
    expect(h.hash(empty)).toBe(133146708735736);
    expect(h.hash(mixed)).toBe(Number(-2376300065012191059n));
    expect(h.hostFlag(a)).toBe(true);
    expect((h.u8[a + 1] & F_HOST) !== 0).toBe(true);
    expect(h.eq(a, b)).toBe(true);
    expect(h.eq(a, empty)).toBe(false);
    const d = h.newDict();
    h.dictSet(d, a, h.True);
    expect(h.dictGet(d, b)).toBe(h.True);
    const plain = h.newSet();
    expect(h.hostFlag(plain)).toBe(false);
    expect(() => h.hash(plain)).toThrow("unhashable type: 'set'");
    expect(h.eq(plain, empty)).toBe(true); // Python: set() == frozenset()
    for (const r of [a, b, empty, mixed, d, plain]) h.decref(r);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('host roots own a reference, are shared with attached threads and count as verify roots', () => {
    const h = Heap.create({ bytes: 1 << 20, checked: true });
    const t = h.newList([]);
    expect(h.hostRoot(0)).toBe(0);
    expect(h.setHostRoot(0, t)).toBe(true);
    expect(h.refcount(t)).toBe(2);
    h.decref(t);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    const other = Heap.attach(h.buffer);
    expect(other.hostRoot(0)).toBe(t);
    const u = h.newList([]);
    expect(h.setHostRoot(0, u, 12345)).toBe(false); // expected value mismatch: no change
    expect(h.hostRoot(0)).toBe(t);
    expect(h.setHostRoot(0, u, t)).toBe(true); // replaces and drops t (freed)
    h.decref(u);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    expect(h.setHostRoot(0, 0)).toBe(true);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    expect(() => h.hostRoot(HOST_ROOTS)).toThrow();
    other.detach();
  });
});

describe('set table as CPython 3.11', () => {
  it('an add reuses the last dummy slot on its probe path (iteration order after discards)', () => {
    const h = create();
    const mk = (xs: number[]) => {
      const s = h.newSet();
      for (const x of xs) h.setAdd(s, h.newInt(x));
      return s;
    };
    const a = mk([1, 9, 17, 33, 2, 100, 5, 65, 129]);
    const b = mk([33, 17, 64, 8, 1000, 2, 41, 129, 257]);
    // set_symmetric_difference_update: for k in b: discard from a, else add
    for (const k of h.setKeys(b)) if (!h.setDiscard(a, k)) h.setAdd(a, k);
    // python3.11 -c 'a = {1, 9, 17, 33, 2, 100, 5, 65, 129}; a ^= {33, 17, 64, 8, 1000, 2, 41, 129, 257}; print(a)'
    expect(h.setKeys(a).map((k) => h.intValue(k))).toEqual([64, 1, 100, 5, 65, 257, 1000, 9, 8, 41]);
    h.decref(a);
    h.decref(b);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });
});

describe('setUpdate is CPython 3.11 set_merge', () => {
  it('copies and updates lay keys out as CPython (iteration order) and own their keys', () => {
    const h = create();
    const mk = (xs: number[]) => {
      const s = h.newSet();
      for (const x of xs) h.setAdd(s, h.newInt(x));
      return s;
    };
    const ints = (s: number) => h.setKeys(s).map((k) => h.intValue(k));
    const a = mk([5, 37, 69, 2, 101, 133, 7]);
    const copy = h.newSet();
    h.setUpdate(copy, a);
    const b = mk([1, 200, 33]);
    h.setUpdate(b, a);
    // python3.11: a = set(); [a.add(x) for x in (5, 37, 69, 2, 101, 133, 7)]; b = {1, 200, 33} (added
    // one by one); print(list(a), list(a.copy())); b.update(a); print(list(b))
    expect(ints(a)).toEqual([2, 101, 37, 69, 5, 133, 7]);
    expect(ints(copy)).toEqual([2, 7, 101, 37, 69, 5, 133]);
    expect(ints(b)).toEqual([1, 33, 2, 101, 37, 69, 200, 5, 133, 7]);
    const big = h.newInt(2 ** 40);
    h.setAdd(a, big);
    const c = h.newSet();
    h.setUpdate(c, a);
    expect(h.refcount(big)).toBe(3);
    h.setSwapBodies(c, b);
    expect(h.setContains(b, big)).toBe(true);
    for (const r of [a, copy, b, c, big]) h.decref(r);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });
});
