import { describe, expect, it } from 'vitest';
import { BenchValueError } from './errors.js';
import { defineBenchmark, measure } from './harness.js';

/** A fake clock the benchmarks advance themselves, so durations are exact. */
function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ns: number) => void (t += ns) };
}

describe('measure', () => {
  it('alternates subject and baseline (A B A B) and reports pair-by-pair ratios', async () => {
    const clock = fakeClock();
    const order: string[] = [];
    let i = 0;
    // Subject and baseline drift together (a "slow machine" phase): the ratio stays exactly 2.
    const drift = () => 1 + (i++ % 4);
    const baseline = defineBenchmark({
      name: 'base',
      run: () => {
        order.push('B');
        clock.advance(100 * drift());
      },
    });
    const subject = defineBenchmark({
      name: 'subject',
      baseline,
      run: () => {
        order.push('A');
        clock.advance(200 * drift());
        i--; // the pair shares one drift value
      },
    });
    const r = await measure(subject, {
      warmup: 1,
      minSamples: 4,
      maxSamples: 4,
      budgetMs: 0,
      now: clock.now,
    });
    expect(order).toEqual(['A', 'B', 'A', 'B', 'A', 'B', 'A', 'B', 'A', 'B']);
    expect(r.subject.samplesNs).toHaveLength(4);
    expect(r.baseline?.samplesNs).toHaveLength(4);
    expect(r.ratio?.median).toBe(2);
    expect(r.ratio?.iqr).toBe(0);
    expect(r.subject.summary.min).not.toBe(r.subject.summary.max);
  });

  it('divides by ops and accepts self-reported durations', async () => {
    const r = await measure(defineBenchmark({ name: 'x', ops: 1000, run: () => 5000 }), {
      warmup: 0,
      minSamples: 3,
      maxSamples: 3,
    });
    expect(r.subject.samplesNs).toEqual([5, 5, 5]);
    expect(r.ratio).toBeUndefined();
  });

  it('stops at the time budget once minSamples are in', async () => {
    const clock = fakeClock();
    const r = await measure(defineBenchmark({ name: 'slow', run: () => clock.advance(400e6) }), {
      warmup: 0,
      minSamples: 2,
      maxSamples: 100,
      budgetMs: 1000,
      now: clock.now,
    });
    // 400 ms per sample: after 3 samples 1200 ms >= 1000 ms budget.
    expect(r.subject.samplesNs).toHaveLength(3);
  });

  it('runs setup once and teardown even when run throws', async () => {
    const calls: string[] = [];
    const failing = defineBenchmark({
      name: 'fails',
      setup: () => calls.push('setup'),
      run: () => {
        throw new Error('boom');
      },
      teardown: () => void calls.push('teardown'),
    });
    await expect(measure(failing, { warmup: 0 })).rejects.toThrow('boom');
    expect(calls).toEqual(['setup', 'teardown']);
  });

  it('validates definitions and options with messages naming the field', async () => {
    expect(() => defineBenchmark({ name: '', run: () => {} })).toThrow(BenchValueError);
    expect(() => defineBenchmark({ name: 'a', ops: 0, run: () => {} })).toThrow(
      /ops must be a positive integer/,
    );
    const b = defineBenchmark({ name: 'a', run: () => {} });
    await expect(measure(b, { minSamples: 0 })).rejects.toThrow(/options.minSamples must be an integer >= 1/);
    await expect(measure(b, { minSamples: 5, maxSamples: 2 })).rejects.toThrow(/options.maxSamples/);
    await expect(measure(defineBenchmark({ name: 'neg', run: () => -1 }), { warmup: 0 })).rejects.toThrow(
      /invalid duration/,
    );
  });
});
