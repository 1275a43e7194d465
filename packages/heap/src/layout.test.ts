import { describe, expect, it } from 'vitest';
import { LAYOUT_COPIES_ATOMS } from './atoms.js';
import { LAYOUT_COPIES_DICT } from './dict.js';
import { LAYOUT_COPIES_HEAP } from './heap.js';
import * as layout from './layout.js';
import { LAYOUT_COPIES_MEMORY } from './memory.js';
import { LAYOUT_COPIES_REFCOUNTS } from './refcounts.js';
import { LAYOUT_COPIES_SET } from './set.js';

describe('layout', () => {
  it.each([
    ['heap', LAYOUT_COPIES_HEAP],
    ['refcounts', LAYOUT_COPIES_REFCOUNTS],
    ['atoms', LAYOUT_COPIES_ATOMS],
    ['memory', LAYOUT_COPIES_MEMORY],
    ['dict', LAYOUT_COPIES_DICT],
    ['set', LAYOUT_COPIES_SET],
  ])('the local constants of %s.ts equal layout.ts', (_name, copies) => {
    const table = layout as unknown as Record<string, number>;
    for (const [name, value] of Object.entries(copies)) expect([name, value]).toEqual([name, table[name]]);
  });

  it('static objects fit below the first pool and pools are aligned', () => {
    expect(layout.STATIC_END).toBeLessThanOrEqual(layout.POOL_BASE);
    expect(layout.POOL_BASE % layout.POOL_SIZE).toBe(0);
    expect(layout.SMALL_INT_BASE % 16).toBe(0);
    expect(layout.CHAR_BASE % 16).toBe(0);
    expect(layout.NB_SMALL_SIZE_CLASSES).toBe(32);
  });
});
