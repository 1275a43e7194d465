import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyTypeError } from './errors.js';
import { Heap } from './heap.js';
import type { RefcountMode } from './layout.js';

/** One step: `op` picks the operation, `x`/`y` pick roots (modulo the root count), `v` a value. */
const step = fc.record({
  op: fc.integer({ min: 0, max: 21 }),
  // Unbiased: fast-check otherwise favours 0, which would keep picking the first roots.
  x: fc.noBias(fc.nat()),
  y: fc.noBias(fc.nat()),
  v: fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer(), fc.double({ noNaN: true })),
  s: fc.string({ maxLength: 40 }),
});

type Step = { op: number; x: number; y: number; v: number; s: string };

/**
 * Replays steps against a heap while tracking, in `roots`, every reference the test itself holds.
 * After every step the heap must verify with exactly those roots.
 */
function play(mode: RefcountMode, steps: Step[], taggedInts = false): void {
  const h = Heap.create({ bytes: 4 << 20, refcountMode: mode, checked: true, taggedInts });
  const roots: number[] = [];
  const pick = (i: number): number | undefined => (roots.length === 0 ? undefined : roots[i % roots.length]);
  const pickType = (i: number, type: string): number | undefined => {
    const of = roots.filter((r) => h.typeOf(r) === type);
    return of.length === 0 ? undefined : of[i % of.length];
  };
  const drop = (ref: number): void => {
    roots.splice(roots.indexOf(ref), 1);
    h.decref(ref);
  };
  for (const { op, x, y, v, s } of steps) {
    const a = pick(x);
    const b = pick(y);
    try {
      switch (op) {
        case 0:
          roots.push(Number.isInteger(v) ? h.newInt(v) : h.newFloat(v));
          break;
        case 1:
          roots.push(h.newStr(s));
          break;
        case 2:
          roots.push(h.newBytes(Array.from(s, (c) => c.charCodeAt(0) & 255)));
          break;
        case 3:
          roots.push(h.newTuple(roots.slice(0, x % 4)));
          break;
        case 4:
          roots.push(h.newList());
          break;
        case 5:
          roots.push(h.newDict());
          break;
        case 6:
          roots.push(h.newSet());
          break;
        case 7:
          roots.push(h.newObject(x % 5, 1 + (y % 3), x % 2));
          break;
        case 8: {
          const l = pickType(x, 'list');
          if (l !== undefined && b !== undefined) h.listAppend(l, b);
          break;
        }
        case 9: {
          const l = pickType(x, 'list');
          if (l !== undefined && h.listLen(l) > 0 && b !== undefined) h.listSet(l, y % h.listLen(l), b);
          break;
        }
        case 10: {
          const l = pickType(x, 'list');
          if (l !== undefined && h.listLen(l) > 0) roots.push(h.listPop(l, y % h.listLen(l)));
          break;
        }
        case 11: {
          const d = pickType(x, 'dict');
          if (d !== undefined && b !== undefined && a !== undefined) h.dictSet(d, b, a);
          break;
        }
        case 12: {
          const d = pickType(x, 'dict');
          if (d !== undefined && b !== undefined) h.dictDelete(d, b);
          break;
        }
        case 13: {
          const st = pickType(x, 'set');
          if (st !== undefined && b !== undefined) h.setAdd(st, b);
          break;
        }
        case 14: {
          const st = pickType(x, 'set');
          if (st !== undefined && b !== undefined) h.setDiscard(st, b);
          break;
        }
        case 15: {
          const o = pickType(x, 'object');
          if (o !== undefined && b !== undefined) h.objectSet(o, y % h.objectSlotCount(o), b);
          break;
        }
        case 16:
          if (a !== undefined) {
            h.incref(a);
            roots.push(a);
          }
          break;
        case 17:
        case 18:
          if (a !== undefined) drop(a);
          break;
        case 19: {
          // A fresh number as a set key (ints of any sign, 0 included; floats equal to ints).
          const st = pickType(x, 'set');
          if (st !== undefined) {
            const k = Number.isInteger(v) ? h.newInt(v) : h.newFloat(v);
            h.setAdd(st, k);
            if (y % 3 === 0) h.setDiscard(st, k);
            h.decref(k);
          }
          break;
        }
        case 20: {
          const d = pickType(x, 'dict');
          if (d !== undefined && a !== undefined) {
            const k = h.newInt(Number.isInteger(v) ? v : y % 50);
            h.dictSet(d, k, a);
            h.decref(k);
          }
          break;
        }
        default:
          h.collect();
          break;
      }
    } catch (err) {
      // Only unhashable keys may fail, and they must leave the heap unchanged.
      if (!(err instanceof PyTypeError && /unhashable/.test(err.message))) throw err;
    }
    const report = h.verify({ roots });
    if (!report.ok) throw new Error(`after op ${op}: ${report.errors.join('; ')}`);
  }
  while (roots.length > 0) drop(roots[roots.length - 1]);
  h.collect();
  const stats = h.stats();
  expect(stats.bytesInUse).toBe(0);
  expect(stats.objects).toBe(stats.immortalObjects);
  expect(h.verify({ roots: [] }).ok).toBe(true);
}

describe('property: random programs keep the heap consistent and free everything', () => {
  it.each(['gil', 'atomic', 'biased'] as const)('%s', (mode) => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60, size: 'max' }), (steps) => play(mode, steps)),
      { numRuns: 150 },
    );
  });

  it.each(['gil', 'biased'] as const)('%s with tagged ints', (mode) => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60, size: 'max' }), (steps) => play(mode, steps, true)),
      { numRuns: 100 },
    );
  });
});
