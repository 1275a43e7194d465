import { describe, expect, it } from 'vitest';
import { Heap } from './heap.js';

const modes = ['gil', 'atomic', 'biased'] as const;

describe('collect()', () => {
  it.each(modes)('%s: frees a list that contains itself, exactly', (mode) => {
    const h = Heap.create({ bytes: 1 << 20, refcountMode: mode, checked: true });
    const keep = h.newList([h.newStr('kept')]);
    h.decref(h.listGet(keep, 0));
    const l = h.newList();
    h.listAppend(l, l);
    h.listAppend(l, keep); // garbage may refer to live objects: they must survive
    h.decref(l);
    expect(h.refcount(l)).toBe(1); // only the cycle keeps it
    expect(h.collect()).toBe(1);
    expect(h.refcount(keep)).toBe(1);
    const report = h.verify({ roots: [keep] });
    expect(report.errors).toEqual([]);
    expect(h.collect()).toBe(0);
    h.decref(keep);
    expect(h.stats().bytesInUse).toBe(0);
  });

  it.each(modes)('%s: frees a dict cycle through two objects and what hangs off it', (mode) => {
    const h = Heap.create({ bytes: 1 << 20, refcountMode: mode, checked: true });
    const a = h.newDict();
    const b = h.newObject(1, 2);
    const k = h.newStr('peer');
    h.dictSet(a, k, b);
    h.objectSet(b, 0, a);
    const payload = h.newList([h.newFloat(1.5)]);
    h.decref(h.listGet(payload, 0));
    h.objectSet(b, 1, payload);
    for (const r of [a, b, k, payload]) h.decref(r);
    expect(h.stats().objects).toBeGreaterThan(h.stats().immortalObjects);
    expect(h.collect()).toBe(3); // dict, handle, list (the str and float are not containers)
    expect(h.stats().bytesInUse).toBe(0);
    expect(h.verify({ roots: [] }).ok).toBe(true);
  });

  it('keeps a cycle alive while a root refers to it, frees it after', () => {
    const h = Heap.create({ bytes: 1 << 20, checked: true });
    const x = h.newList();
    const y = h.newList();
    h.listAppend(x, y);
    h.listAppend(y, x);
    h.decref(y);
    expect(h.gcCount()).toBe(2); // CPython's gen0 count: containers allocated minus freed
    expect(h.collect()).toBe(0);
    expect(h.gcCount()).toBe(0);
    expect(h.verify({ roots: [x] }).ok).toBe(true);
    h.decref(x);
    expect(h.verify({ roots: [] }).ok).toBe(true); // leaked but consistent
    expect(h.collect()).toBe(2);
    expect(h.stats()).toMatchObject({ bytesInUse: 0, collections: 2, collected: 2 });
  });

  it('collects a large cycle of tuples, sets and lists', () => {
    const h = Heap.create({ bytes: 8 << 20, checked: true });
    const head = h.newList();
    let prev = head;
    for (let k = 0; k < 2000; k++) {
      const node = k % 3 === 0 ? h.newList() : k % 3 === 1 ? h.newObject(9, 1) : h.newDict();
      if (h.typeOf(prev) === 'list') h.listAppend(prev, node);
      else if (h.typeOf(prev) === 'object') h.objectSet(prev, 0, node);
      else {
        const key = h.newInt(k);
        h.dictSet(prev, key, node);
        h.decref(key);
      }
      if (prev !== head) h.decref(prev);
      prev = node;
    }
    const s = h.newSet();
    const t = h.newTuple([head, s]);
    const box = h.newObject(2, 1); // hashable by identity, so it can sit in the set
    h.objectSet(box, 0, t);
    h.setAdd(s, box); // set -> box -> tuple -> set
    h.objectSet(prev, 0, t); // the last node (k = 1999) is an object handle
    for (const r of [prev, s, t, head, box]) h.decref(r);
    expect(h.collect()).toBe(2004);
    expect(h.stats().bytesInUse).toBe(0);
  });
});
