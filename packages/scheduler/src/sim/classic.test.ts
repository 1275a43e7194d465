/**
 * The classic GIL results, reproduced as numbers on 2 virtual cores with synthetic countdown
 * threads. Virtual time is exact, so these assertions are stable on any machine.
 * CPython 3.11 on the reference machine: 2 threads 1.03x sequential, Pool(2) 0.54x; Beazley
 * (Python 2, dual core): 1.8x.
 */
import { describe, expect, it } from 'vitest';
import { summarize } from '../stats.js';
import type { TracePolicy } from '../trace.js';
import { countdownScript, type ScriptOp } from './script-thread.js';
import { simulateScripts } from './synthetic.js';

const N = 2_000_000; // iterations per thread: 34 ms of virtual CPU time each

function twoThreadsVsSequential(policy: TracePolicy, n = N) {
  const seq = simulateScripts([{ ops: countdownScript(2 * n) }], { policy }).durationUs;
  // Main starts two workers and joins them, as the Python program does.
  const main: ScriptOp[] = [
    { block: { kind: 'join', threadId: 2, timeout: -1 } },
    { block: { kind: 'join', threadId: 3, timeout: -1 } },
  ];
  const par = simulateScripts([{ ops: main }, { ops: countdownScript(n) }, { ops: countdownScript(n) }], {
    policy,
  });
  return { ratio: par.durationUs / seq, run: par };
}

describe('countdown in 2 threads vs sequential, 2 virtual cores', () => {
  it('cpython: about as long as sequential (CPython here: 1.03x)', () => {
    const { ratio, run } = twoThreadsVsSequential('cpython');
    expect(ratio).toBeGreaterThan(0.98);
    expect(ratio).toBeLessThan(1.08);
    const st = summarize(run.trace);
    expect(st.speedupVsSequential).toBeLessThan(1.01);
    expect(st.handoffs).toBeGreaterThan(5);
  });

  it('free-threaded: about half (threads run in parallel)', () => {
    const { ratio, run } = twoThreadsVsSequential('free-threaded');
    expect(ratio).toBeGreaterThan(0.45);
    expect(ratio).toBeLessThan(0.56);
    expect(summarize(run.trace).speedupVsSequential).toBeGreaterThan(1.8);
  });

  it('free-threaded pays the refcount cost per mode: atomic is slower than biased', () => {
    const biased = simulateScripts([{ ops: countdownScript(N) }], { policy: 'free-threaded' }).durationUs;
    const atomic = simulateScripts([{ ops: countdownScript(N) }], {
      policy: 'free-threaded',
      refcountMode: 'atomic',
    }).durationUs;
    const gil = simulateScripts([{ ops: countdownScript(N) }], { policy: 'cpython' }).durationUs;
    expect(biased / gil).toBeCloseTo(1.06, 2);
    expect(atomic / gil).toBeCloseTo(1.5, 2);
  });

  it('processes: about half with CPython-sized work (Pool(2) here: 0.54x)', () => {
    // 20M iterations per process = 0.69 s of sequential work in total, as measured with CPython.
    const { ratio } = twoThreadsVsSequential('processes', 20_000_000);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.58);
  });

  it('per-interpreter: one GIL per interpreter, so about half', () => {
    const { ratio, run } = twoThreadsVsSequential('per-interpreter');
    expect(ratio).toBeLessThan(0.56);
    expect(new Set(run.trace.threads.map((t) => t.group))).toEqual(new Set([0, 1, 2]));
  });

  it('legacy: slower than sequential (Beazley: 1.8x)', () => {
    const { ratio, run } = twoThreadsVsSequential('legacy', 500_000);
    expect(ratio).toBeGreaterThan(1.6);
    expect(ratio).toBeLessThan(2.0);
    expect(run.engine.counters.falseWakeups).toBeGreaterThan(10);
  });

  it('fifo: about as long as sequential', () => {
    const { ratio } = twoThreadsVsSequential('fifo');
    expect(ratio).toBeGreaterThan(0.98);
    expect(ratio).toBeLessThan(1.08);
  });
});

/** An I/O thread doing 200 round trips (39 µs in the kernel, then a little bytecode), optionally next to a CPU thread. */
function ioLatency(switchIntervalMs: number, withCpuThread: boolean): number {
  const io: ScriptOp[] = [];
  for (let i = 0; i < 200; i++)
    io.push({ block: { kind: 'io', name: 'echo', seconds: 39e-6 } }, { cpu: 200 });
  const scripts = [{ name: 'io', ops: io }];
  if (withCpuThread) scripts.push({ name: 'cpu', ops: countdownScript(100_000_000) });
  const r = simulateScripts(scripts, { switchIntervalMs, maxVirtualMs: 2000 });
  return summarize(r.trace).ioLatency.meanUs;
}

describe('I/O latency next to a CPU-bound thread (convoy effect)', () => {
  it('is about 63 us when idle (CPython here: 63 us)', () => {
    const idle = ioLatency(5, false);
    expect(idle).toBeGreaterThan(50);
    expect(idle).toBeLessThan(80);
  });

  it('grows with the switch interval (CPython here: 1518, 317, 69 us at 5, 1, 0.1 ms)', () => {
    const at5 = ioLatency(5, true);
    const at1 = ioLatency(1, true);
    const at01 = ioLatency(0.1, true);
    expect(at5).toBeGreaterThan(4 * at1);
    expect(at1).toBeGreaterThan(4 * at01);
    expect(at01).toBeGreaterThan(ioLatency(5, false));
    // The model: each return from I/O waits a full interval for the drop request (see README).
    expect(at5).toBeGreaterThan(5000);
    expect(at5).toBeLessThan(5400);
    expect(at01).toBeLessThan(300);
  });
});
