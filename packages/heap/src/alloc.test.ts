import { describe, expect, it } from 'vitest';
import { HeapFormatError, PyMemoryError, PyValueError } from './errors.js';
import { Heap } from './heap.js';
import { MIN_HEAP_BYTES } from './layout.js';

describe('allocator', () => {
  it('reuses freed blocks LIFO', () => {
    const h = Heap.create({ bytes: 1 << 20 });
    const pin = h.newFloat(0); // keeps the pool from becoming empty (an empty pool is re-carved)
    const a = h.newFloat(1);
    const b = h.newFloat(2);
    h.decref(a);
    h.decref(b);
    expect(h.newFloat(3)).toBe(b);
    expect(h.newFloat(4)).toBe(a);
    expect(h.refcount(pin)).toBe(1);
  });

  it('hands empty pools to other size classes', () => {
    const h = Heap.create({ bytes: MIN_HEAP_BYTES });
    // Fill the heap with 32-byte objects, free them all, then fill it with 512-byte strings.
    const small: number[] = [];
    try {
      for (;;) small.push(h.newFloat(small.length));
    } catch (err) {
      expect(err).toBeInstanceOf(PyMemoryError);
    }
    for (const r of small) h.decref(r);
    h.detach(); // the thread's block cache keeps up to 60 freed floats; give them back
    expect(h.stats().pools.empty).toBe(h.stats().pools.total);
    const big: number[] = [];
    const text = 'x'.repeat(400);
    try {
      for (;;) big.push(h.newStr(text));
    } catch (err) {
      expect(err).toBeInstanceOf(PyMemoryError);
    }
    expect(big.length).toBeGreaterThan(100);
    expect(h.verify({ roots: big }).ok).toBe(true);
  });

  it.each(['gil', 'atomic', 'biased'] as const)(
    '%s: raises PyMemoryError when full and stays consistent and usable',
    (mode) => {
      const h = Heap.create({ bytes: MIN_HEAP_BYTES + 64 * 1024, checked: true, refcountMode: mode });
      const held = h.newList();
      let caught: unknown;
      try {
        for (let k = 0; ; k++) {
          const item = k % 2 === 0 ? h.newStr(`item ${k} ${'y'.repeat(k % 700)}`) : h.newInt(1000 + k);
          try {
            h.listAppend(held, item);
          } finally {
            h.decref(item);
          }
        }
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(PyMemoryError);
      expect((caught as PyMemoryError).pyType).toBe('MemoryError');
      expect(h.verify({ roots: [held] }).errors).toEqual([]);
      const n = h.listLen(held);
      h.listClear(held);
      expect(h.listLen(held)).toBe(0);
      const again = h.newStr('z'.repeat(1000));
      expect(h.strLen(again)).toBe(1000);
      h.decref(again);
      h.decref(held);
      expect(n).toBeGreaterThan(10);
      expect(h.verify({ roots: [] }).ok).toBe(true);
      expect(h.stats().bytesInUse).toBe(0);
      // Fill it again with 32-byte objects only (the cached class in atomic/biased mode).
      const floats: number[] = [];
      expect(() => {
        for (;;) floats.push(h.newFloat(floats.length));
      }).toThrow(PyMemoryError);
      expect(h.verify({ roots: floats }).ok).toBe(true);
      for (const f of floats) h.decref(f);
      h.detach();
      expect(h.verify({ roots: [] }).ok).toBe(true);
    },
  );

  it('coalesces large chunks and returns them to the wilderness', () => {
    const h = Heap.create({ bytes: 4 << 20, checked: true });
    const wild = h.stats().wildernessBytes;
    const refs: number[] = [];
    for (let k = 0; k < 200; k++) refs.push(h.newBytes(new Uint8Array(600 + ((k * 37) % 3000))));
    // Free every other chunk: holes cannot merge yet.
    for (let k = 0; k < refs.length; k += 2) h.decref(refs[k]);
    expect(h.stats().largeChunks.free).toBeGreaterThan(50);
    expect(h.verify({ roots: refs.filter((_, k) => k % 2 === 1) }).ok).toBe(true);
    // A hole is reused (first fit) for a request that fits.
    const reuse = h.newBytes(new Uint8Array(600));
    expect(refs.filter((_, k) => k % 2 === 0)).toContain(reuse);
    h.decref(reuse);
    for (let k = 1; k < refs.length; k += 2) h.decref(refs[k]);
    const after = h.stats();
    expect(after.largeChunks).toEqual({ used: 0, free: 0, freeBytes: 0 });
    expect(after.wildernessBytes).toBe(wild);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it.each(['atomic', 'biased'] as const)('%s: per-thread caches refill and flush in batches', (mode) => {
    const h = Heap.create({ bytes: 1 << 20, refcountMode: mode, checked: true });
    const floats: number[] = [];
    for (let k = 0; k < 500; k++) floats.push(h.newFloat(k + 0.5));
    expect(h.stats().cachedBlocks).toBeLessThanOrEqual(60);
    expect(h.verify({ roots: floats }).ok).toBe(true);
    for (const f of floats) h.decref(f);
    const stats = h.stats();
    expect(stats.cachedBlocks).toBeGreaterThan(0);
    expect(stats.cachedBlocks).toBeLessThanOrEqual(60);
    expect(stats.bytesInUse).toBe(0);
    expect(stats.allocations).toBe(500);
    expect(stats.frees).toBe(500);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    // A cached block is reused first (LIFO) and a second thread has its own cache.
    const other = Heap.attach(h.buffer, { threadId: 9 });
    const mine = h.newFloat(1);
    const theirs = other.newFloat(2);
    expect(mine).toBe(floats[floats.length - 1]);
    expect(theirs).not.toBe(mine);
    h.decref(theirs);
    other.decref(mine);
    expect(h.verify({ roots: [] }).ok).toBe(true);
    other.detach();
    h.detach();
    expect(h.stats().cachedBlocks).toBe(0);
    expect(h.stats().pools.empty).toBe(h.stats().pools.total);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('hands out free thread ids in atomic/biased mode and reuses detached ones', () => {
    const h = Heap.create({ bytes: 1 << 20, refcountMode: 'biased' });
    const handles = Array.from({ length: 255 }, () => Heap.attach(h.buffer));
    expect(new Set(handles.map((x) => x.threadId)).size).toBe(255);
    expect(handles.map((x) => x.threadId)).not.toContain(0); // the creator's id
    expect(() => Heap.attach(h.buffer)).toThrow(/call heap.detach\(\)/);
    handles[41].detach();
    expect(Heap.attach(h.buffer).threadId).toBe(handles[41].threadId);
    // gil mode: ids only label threads, so they simply go round.
    const g = Heap.create({ bytes: 1 << 20 });
    for (let k = 0; k < 300; k++) Heap.attach(g.buffer);
    expect(Heap.attach(g.buffer).threadId).toBe(1 + (300 % 255));
  });

  it('validates options and buffers', () => {
    expect(() => Heap.create({ bytes: 100 })).toThrow(PyValueError);
    expect(() => Heap.create({ bytes: 1 << 20, refcountMode: 'nope' as 'gil' })).toThrow(/refcountMode/);
    expect(() => Heap.create({ bytes: 1 << 20, threadId: 256 })).toThrow(/threadId/);
    expect(() => Heap.attach(new SharedArrayBuffer(1 << 20))).toThrow(HeapFormatError);
    const h = Heap.create({ bytes: 1 << 20, shared: false });
    expect(h.buffer).toBeInstanceOf(ArrayBuffer);
    const again = Heap.attach(h.buffer, { threadId: 2 });
    expect(again.threadId).toBe(2);
    expect(again.strValue(again.newStr('same heap'))).toBe('same heap');
  });
});
