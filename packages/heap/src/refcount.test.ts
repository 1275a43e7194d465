import { describe, expect, it } from 'vitest';
import { InvalidReferenceError, RefcountError, StaleReferenceError } from './errors.js';
import { Heap } from './heap.js';
import { OFF_SHARED, SHARED_MERGED, SHARED_QUEUED, SHARED_STATE_MASK } from './layout.js';

describe('refcount modes', () => {
  it.each(['gil', 'atomic', 'biased'] as const)(
    '%s: counts, frees at zero, leaves immortals alone',
    (mode) => {
      const h = Heap.create({ bytes: 1 << 20, refcountMode: mode, checked: true });
      const s = h.newStr('shared');
      for (let k = 0; k < 10; k++) h.incref(s);
      expect(h.refcount(s)).toBe(11);
      for (let k = 0; k < 10; k++) h.decref(s);
      expect(h.refcount(s)).toBe(1);
      h.decref(s);
      expect(() => h.refcount(s)).toThrow(StaleReferenceError);
      h.incref(h.None);
      h.decref(h.None);
      h.decref(h.None);
      expect(h.isImmortal(h.None)).toBe(true);
      expect(h.verify({ roots: [] }).ok).toBe(true);
    },
  );

  it('biased: a non-owner uses the shared count, which may go negative, and the owner merges', () => {
    const owner = Heap.create({ bytes: 1 << 20, refcountMode: 'biased', checked: true, threadId: 0 });
    const other = Heap.attach(owner.buffer, { threadId: 1 });
    const obj = owner.newStr('biased');
    const shared = () => owner.i32[(obj + OFF_SHARED) >> 2];
    // The non-owner takes and drops references: shared count only.
    other.incref(obj);
    other.incref(obj);
    expect(shared() >> 2).toBe(2);
    expect(owner.refcount(obj)).toBe(3);
    other.decref(obj);
    other.decref(obj);
    expect(shared()).toBe(0);
    // Owner increfs, hands the reference to the other thread, which drops it: shared would go
    // negative from 0, so the object is queued to the owner instead, holding the decref.
    owner.incref(obj);
    other.decref(obj);
    expect(shared() & SHARED_STATE_MASK).toBe(SHARED_QUEUED);
    expect(owner.hasQueued()).toBe(true);
    expect(other.hasQueued()).toBe(false);
    other.decref(obj); // further decrefs subtract: shared is negative now
    expect(shared() >> 2).toBe(-1);
    // verify() counts the pending decref the queue holds, and checks the queue itself.
    owner.i32[(obj + OFF_SHARED) >> 2] &= ~SHARED_STATE_MASK; // corrupt: queued object in DEFAULT state
    expect(owner.verify().errors.join('\n')).toMatch(/merge queue but not in the QUEUED state/);
    owner.i32[(obj + OFF_SHARED) >> 2] |= SHARED_QUEUED;
    // The other thread dropped both references the owner handed it (the object's only ones):
    // true count = local (2) + shared (-1) - pending (1) = 0, so the owner's merge frees it.
    expect(owner.verify({ roots: [] }).ok).toBe(true);
    expect(owner.mergeQueued()).toBe(1);
    expect(() => owner.refcount(obj)).toThrow(StaleReferenceError);
    expect(owner.verify({ roots: [] }).ok).toBe(true);
  });

  it('biased: the owner letting go merges; later decrefs by anyone free at zero', () => {
    const owner = Heap.create({ bytes: 1 << 20, refcountMode: 'biased', checked: true, threadId: 3 });
    const other = Heap.attach(owner.buffer, { threadId: 4 });
    const obj = owner.newList();
    other.incref(obj);
    owner.decref(obj); // local 1 -> 0 with shared 1: merge, no owner any more
    expect(owner.i32[(obj + OFF_SHARED) >> 2] & SHARED_STATE_MASK).toBe(SHARED_MERGED);
    expect(owner.refcount(obj)).toBe(1);
    owner.incref(obj); // merged: the former owner uses the shared count too
    expect(owner.refcount(obj)).toBe(2);
    owner.decref(obj);
    other.decref(obj);
    expect(() => owner.typeOf(obj)).toThrow(StaleReferenceError);
    expect(owner.verify({ roots: [] }).ok).toBe(true);
  });

  it('biased: a decref that would queue to a detached owner merges on the spot', () => {
    const main = Heap.create({ bytes: 1 << 20, refcountMode: 'biased', checked: true, threadId: 0 });
    const owner = Heap.attach(main.buffer, { threadId: 5 });
    const obj = owner.newStr('owned by a thread that exits');
    const kept = owner.newStr('still referenced');
    main.incref(kept); // main's reference: shared count
    owner.decref(kept); // owner lets go: merged, main's reference keeps it alive
    owner.detach(); // thread 5 exits, still holding the local reference to obj...
    // ...which it handed to main: main's decref finds shared == 0, and there is no owner to
    // queue to any more, so it merges (local 1 + shared 0 - 1) and frees at once.
    main.decref(obj);
    expect(() => main.typeOf(obj)).toThrow(StaleReferenceError);
    expect(main.refcount(kept)).toBe(1);
    expect(main.verify({ roots: [kept] }).ok).toBe(true);
    expect(main.stats().merged).toBe(1);
  });

  it('frees a 1,000,000-deep chain of tuples and of lists without recursion', () => {
    const h = Heap.create({ bytes: 160 << 20, shared: false });
    let t = h.newTuple([h.None]);
    for (let k = 0; k < 1_000_000; k++) {
      const next = h.tupleNew(1);
      h.tupleInit(next, 0, t); // steals
      t = next;
    }
    let l = h.newList();
    for (let k = 0; k < 1_000_000; k++) {
      const next = h.newList();
      h.listAppendSteal(next, l);
      l = next;
    }
    expect(h.stats().objectsByType.list).toBe(1_000_001);
    h.decref(t);
    h.decref(l);
    const stats = h.stats();
    expect(stats.bytesInUse).toBe(0);
    expect(stats.allocations).toBe(stats.frees);
  });
});

describe('checked mode', () => {
  const mk = () => Heap.create({ bytes: 1 << 20, checked: true });

  it('rejects forged references: out of range, misaligned, inside an object, not an object', () => {
    const h = mk();
    const l = h.newList([h.None]);
    expect(() => h.incref(12345678)).toThrow(InvalidReferenceError);
    expect(() => h.incref(l + 4)).toThrow(/misaligned/);
    expect(() => h.decref(-16)).toThrow(InvalidReferenceError);
    expect(() => h.incref(l + 16)).toThrow(InvalidReferenceError); // the middle of a 32-byte block
    const storage = h.i32[(l + 24) >> 2];
    expect(() => h.incref(storage)).toThrow(/not an object/);
    const big = h.newTuple(new Array(300).fill(h.None));
    expect(() => h.incref(big + 64)).toThrow(InvalidReferenceError);
    expect(h.verify({ roots: [l, big] }).ok).toBe(true);
  });

  it.each(['gil', 'atomic', 'biased'] as const)(
    '%s: reports use after free and double free with the type',
    (mode) => {
      const h = Heap.create({ bytes: 1 << 20, checked: true, refcountMode: mode });
      const d = h.newDict();
      h.decref(d);
      expect(() => h.decref(d)).toThrow(StaleReferenceError);
      expect(() => h.decref(d)).toThrow(/'dict' object there was freed/);
      expect(() => h.dictLen(d)).toThrow(StaleReferenceError);
      const big = h.newTuple(new Array(300).fill(h.None));
      h.decref(big);
      expect(() => h.incref(big)).toThrow(/'tuple'/);
      for (const make of [
        () => h.newList(),
        () => h.newFloat(2.5),
        () => h.newInt(10_000),
        () => h.newSet(),
      ]) {
        const pin = make(); // keeps the pool in use, so the freed block stays a block of that pool
        const r = make();
        const type = h.typeOf(r);
        h.decref(r);
        expect(() => h.decref(r)).toThrow(new RegExp(`'${type}' object there was freed`));
        h.decref(pin);
      }
      expect(h.verify({ roots: [] }).ok).toBe(true);
    },
  );

  it('reports a decref below zero naming the type, and the heap stays intact', () => {
    for (const mode of ['gil', 'atomic'] as const) {
      const h = Heap.create({ bytes: 1 << 20, checked: true, refcountMode: mode });
      const f = h.newFloat(1.5);
      // Simulate an unbalanced count from racing plain updates: refcount word forced to 0.
      h.i32[(f >> 2) + 1] = 0;
      expect(() => h.decref(f)).toThrow(RefcountError);
      expect(() => h.decref(f)).toThrow(/'float'/);
      expect(h.refcount(f)).toBe(0);
      expect(h.verify().errors.join('\n')).toMatch(/float.*refcount 0/);
    }
  });

  it('accessors reject the wrong type with PyTypeError', () => {
    const h = mk();
    const l = h.newList();
    expect(() => h.dictLen(l)).toThrow("dictLen: expected 'dict', got 'list'");
    expect(() => h.strValue(h.None)).toThrow(/expected 'str'/);
  });
});
