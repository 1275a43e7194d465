import { describe, expect, it } from 'vitest';
import { checkChromeTrace } from '../test-fixtures/check-chrome-trace.js';
import { assertTrace } from '../trace.js';
import { SimEngine } from './engine.js';
import { countdownScript, type ScriptOp, ScriptThread } from './script-thread.js';
import { SimSync } from './sync.js';
import { simulateScripts } from './synthetic.js';

const two = (n = 1_000_000) => [{ ops: countdownScript(n) }, { ops: countdownScript(n) }];

describe('determinism', () => {
  it('gives the identical trace for the same seed', () => {
    const a = simulateScripts(two(), { seed: 42 }).trace;
    const b = simulateScripts(two(), { seed: 42 }).trace;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
  it('gives a different trace for another seed (jittered wake-ups)', () => {
    const a = simulateScripts(two(), { seed: 1 }).trace;
    const b = simulateScripts(two(), { seed: 2 }).trace;
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });
});

describe('cpython policy', () => {
  const { trace } = simulateScripts(two(3_000_000), { switchIntervalMs: 5 });
  it('produces a valid trace and Chrome trace', () => {
    assertTrace(trace);
    checkChromeTrace(trace);
  });
  it('sets drop requests only after a full interval without a hand-off', () => {
    const handoffs = trace.events.filter((e) => e.kind === 'handoff').map((e) => e.time);
    const requests = trace.events.filter((e) => e.kind === 'drop-request');
    expect(requests.length).toBeGreaterThan(5);
    for (const r of requests) {
      const waitStart = trace.intervals
        .filter(
          (iv) => iv.thread === r.thread && iv.state === 'waiting' && iv.start <= r.time && iv.end >= r.time,
        )
        .map((iv) => iv.start)[0];
      expect(waitStart).toBeDefined();
      // The requester waited at least one full interval (5000 us) ...
      expect(r.time - waitStart).toBeGreaterThanOrEqual(5000);
      // ... and no hand-off happened during that last interval.
      expect(handoffs.some((h) => h > r.time - 5000 && h < r.time)).toBe(false);
    }
  });
  it('forces the switch: the dropper does not retake the GIL before the requester took it', () => {
    const evs = trace.events;
    const forced = evs.filter((e) => e.kind === 'forced-switch');
    expect(forced.length).toBeGreaterThan(5);
    for (const f of forced) {
      const nextTake = evs.find((e) => e.kind === 'take' && e.time >= f.time);
      expect(nextTake?.thread).not.toBe(f.thread);
    }
  });
  it('hands the GIL back and forth about once per interval', () => {
    const handoffs = trace.events.filter((e) => e.kind === 'handoff').length;
    const expected = trace.durationUs / 5000;
    expect(handoffs).toBeGreaterThan(expected * 0.8);
    expect(handoffs).toBeLessThan(expected * 1.2);
  });
  it('never lets two threads run at once under one GIL', () => {
    const running = trace.intervals.filter((iv) => iv.state === 'running').sort((a, b) => a.start - b.start);
    for (let i = 1; i < running.length; i++)
      expect(running[i].start).toBeGreaterThanOrEqual(running[i - 1].end);
  });
});

describe('legacy policy', () => {
  const { trace, engine } = simulateScripts(two(300_000), { policy: 'legacy' });
  it('hands off without drop requests or forced switches', () => {
    expect(trace.events.some((e) => e.kind === 'drop-request' || e.kind === 'forced-switch')).toBe(false);
    expect(trace.events.filter((e) => e.kind === 'handoff').length).toBeGreaterThan(3);
  });
  it('loses most re-acquire races: woken waiters find the lock re-taken', () => {
    const handoffs = trace.events.filter((e) => e.kind === 'handoff').length;
    expect(engine.counters.falseWakeups).toBeGreaterThan(3 * handoffs);
    expect(engine.counters.legacyChecks).toBeGreaterThan(1000);
  });
});

describe('fifo policy', () => {
  it('hands the GIL to waiters in arrival order', () => {
    const { trace } = simulateScripts(
      [
        { ops: countdownScript(2_000_000) },
        { ops: countdownScript(2_000_000) },
        { ops: countdownScript(2_000_000) },
      ],
      { policy: 'fifo', cores: 4 },
    );
    const firstEnd = Math.min(
      ...trace.threads.map((th) =>
        Math.max(...trace.intervals.filter((iv) => iv.thread === th.id).map((iv) => iv.end)),
      ),
    );
    const order = trace.events.filter((e) => e.kind === 'handoff' && e.time < firstEnd).map((e) => e.to);
    expect(order.length).toBeGreaterThan(6);
    // With three CPU-bound threads strict FIFO is round robin: 2, 3, 1, 2, 3, 1...
    for (let i = 3; i < order.length; i++) expect(order[i]).toBe(order[i - 3]);
    expect(new Set(order.slice(0, 3)).size).toBe(3);
  });
});

describe('OS model', () => {
  it('time-slices threads beyond the core count (free-threaded, 4 threads on 2 cores)', () => {
    const r = simulateScripts(
      Array.from({ length: 4 }, () => ({ ops: countdownScript(1_000_000) })),
      { policy: 'free-threaded', cores: 2 },
    );
    expect(r.engine.counters.preemptions).toBeGreaterThan(4);
    const running = r.trace.intervals.filter((iv) => iv.state === 'running');
    // At no time more than 2 threads run.
    const points = running.flatMap((iv) => [
      [iv.start, 1],
      [iv.end, -1],
    ]) as [number, number][];
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let n = 0;
    for (const [, d] of points) {
      n += d;
      expect(n).toBeLessThanOrEqual(2);
    }
  });
  it('validates options with messages naming the option', () => {
    expect(() => new SimEngine({ cores: 0 })).toThrow(/options\.cores/);
    expect(() => new SimEngine({ switchIntervalMs: 0 })).toThrow(/options\.switchIntervalMs/);
    expect(() => new SimEngine({ policy: 'nogil' as 'cpython' })).toThrow(/options\.policy/);
    expect(() => new SimEngine({ seed: 1.5 })).toThrow(/options\.seed/);
  });
});

describe('blocking', () => {
  it('releases the GIL during sleep, so a sleeper does not slow a CPU thread', () => {
    const sleeper: ScriptOp[] = [{ block: { kind: 'sleep', seconds: 0.01 } }];
    const r = simulateScripts([{ ops: countdownScript(1_000_000) }, { ops: sleeper }]);
    const alone = simulateScripts([{ ops: countdownScript(1_000_000) }]);
    expect(r.durationUs).toBeLessThan(alone.durationUs + 11_000);
    const blocked = r.trace.intervals.find((iv) => iv.state === 'blocked');
    expect(blocked?.detail).toBe('sleep 0.01');
    expect(blocked!.end - blocked!.start).toBeCloseTo(10_000, 6);
  });
  it('runs native work in parallel with bytecode (no GIL held)', () => {
    const native: ScriptOp[] = [{ block: { kind: 'native', name: 'sha256', bytes: 1 << 20, cost: 20_000 } }];
    const r = simulateScripts([{ ops: countdownScript(1_000_000) }, { ops: native }]);
    // 17 ms of bytecode and 20 ms of native work overlap on 2 cores.
    expect(r.durationUs).toBeLessThan(17_000 + 20_000);
    expect(r.trace.intervals.some((iv) => iv.state === 'native' && iv.detail === 'sha256')).toBe(true);
  });
  it('hands a virtual lock to the waiting thread on release', () => {
    const e = new SimEngine();
    const sync = new SimSync(e);
    const lock = sync.newLock(false);
    let a: ReturnType<SimEngine['spawn']>;
    const first = new ScriptThread([
      { effect: () => sync.tryAcquire(a, lock) },
      { cpu: 10_000 },
      { effect: () => sync.release(a, lock, e.timeOf(a)) },
    ]);
    const second = new ScriptThread([{ block: { kind: 'lock', lockId: lock, timeout: -1 } }]);
    a = e.spawn(first);
    e.spawn(second, { parent: a });
    e.run();
    expect(second.resumed).toEqual([true]);
    expect(e.stuck).toEqual([]);
    expect(() => sync.release(a, lock, e.now)).not.toThrow();
    expect(() => sync.release(a, lock, e.now)).toThrow('release unlocked lock');
  });
  it('times out a lock wait and reports deadlocked threads', () => {
    const e = new SimEngine();
    const sync = new SimSync(e);
    const lock = sync.newLock(false);
    sync.tryAcquire({ id: 99 }, lock);
    const timed = new ScriptThread([{ block: { kind: 'lock', lockId: lock, timeout: 0.002 } }]);
    const forever = new ScriptThread([{ block: { kind: 'lock', lockId: lock, timeout: -1 } }]);
    const t = e.spawn(timed);
    const f = e.spawn(forever, { parent: t });
    e.run();
    expect(timed.resumed).toEqual([false]);
    expect(e.stuck).toEqual([f]);
  });
});
