import { describe, expect, it } from 'vitest';
import { toChromeTrace } from './chrome-trace.js';
import { checkChromeTrace } from './test-fixtures/check-chrome-trace.js';
import { handTrace } from './test-fixtures/hand-trace.js';

describe('toChromeTrace', () => {
  it('produces valid, strictly nested Chrome trace JSON', () => {
    const evs = checkChromeTrace(handTrace());
    expect(evs.filter((e) => e.ph === 'X')).toHaveLength(7);
  });
  it('draws a flow arrow from the old holder to the new one per hand-off', () => {
    const evs = toChromeTrace(handTrace()).traceEvents;
    const s = evs.filter((e) => e.ph === 's');
    const f = evs.filter((e) => e.ph === 'f');
    expect(s.map((e) => e.tid)).toEqual([1, 2]);
    expect(f.map((e) => e.tid)).toEqual([2, 1]);
    expect(f[0].ts).toBe(5030);
  });
  it('marks drop requests and forced switches as thread instants', () => {
    const evs = toChromeTrace(handTrace()).traceEvents;
    const inst = evs.filter((e) => e.ph === 'i');
    expect(inst.map((e) => [e.name, e.tid])).toEqual([
      ['drop-request', 2],
      ['forced-switch', 1],
    ]);
  });
  it('keeps rounded neighbours from overlapping', () => {
    const evs = toChromeTrace(handTrace()).traceEvents.filter((e) => e.ph === 'X' && e.tid === 1);
    expect(evs[0].ts + evs[0].dur!).toBeLessThanOrEqual(evs[1].ts);
  });
});
