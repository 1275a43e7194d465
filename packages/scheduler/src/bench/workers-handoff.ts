/**
 * WorkerRuntime hand-off overhead: the time from one thread dropping the GIL at a drop request to
 * the next thread running bytecode, measured from the runtime's own trace (it includes the trace
 * writes and the LOAD_GLOBAL cache reset; threads share one heap, nothing is copied), against the same gap for a bare
 * @gilkit/lock Gil handed between two workers (handoff-worker.ts), in the same process.
 */
import { Worker } from 'node:worker_threads';
import { Gil } from '@gilkit/lock';
import { WorkerRuntime } from '../workers/runtime.js';

export interface HandoffOverhead {
  /** Median µs from drop to the new holder running, WorkerRuntime. */
  runtimeUs: number;
  /** Median µs from drop to take, bare Gil between two workers. */
  lockUs: number;
  ratio: number;
  runtimeSwitches: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function workerFile(): URL {
  const here = import.meta.url;
  return here.includes('/src/bench/')
    ? new URL('../../dist/bench/handoff-worker.js', here)
    : new URL('./handoff-worker.js', here);
}

/** Median drop-to-take gap of a bare Gil between two workers over `switches` hand-offs. */
export async function measureLockHandoff(switches = 400, switchIntervalMs = 0.2): Promise<number> {
  const gil = Gil.create({ policy: 'cpython', switchIntervalMs });
  const shared = new SharedArrayBuffer(64 + 8 * (switches + 2));
  const ws = [0, 1].map(
    () => new Worker(workerFile(), { workerData: { gil: gil.buffer, shared, switches } }),
  );
  await Promise.all(ws.map((w) => new Promise((resolve) => w.on('exit', resolve))));
  const f = new Float64Array(shared);
  return median(Array.from(f.subarray(8, 8 + f[2]))) * 1000;
}

/** Median drop-to-running gap at forced switches in a WorkerRuntime run of two countdown threads. */
export async function measureRuntimeHandoff(
  switchIntervalMs = 0.2,
): Promise<{ us: number; switches: number }> {
  // A barrier through a shared global makes both threads count down at the same time even when
  // worker start-up is slow: each spins (checking the breaker) until both have arrived.
  const src = `import threading
ready = 0
def countdown(n):
    global ready
    ready += 1
    while ready < 2:
        pass
    while n > 0:
        n -= 1
ts = [threading.Thread(target=countdown, args=(1000000,)) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
`;
  const r = await new WorkerRuntime({ switchIntervalMs }).run(src);
  const gaps: number[] = [];
  const running = r.trace.intervals.filter((iv) => iv.state === 'running');
  for (const ev of r.trace.events) {
    if (ev.kind !== 'handoff' || ev.from === undefined || ev.from === 1 || ev.thread === 1) continue;
    const prev = running.filter((iv) => iv.thread === ev.from && iv.end <= ev.time + 1e-3).pop();
    const next = running.find((iv) => iv.thread === ev.thread && iv.start >= ev.time - 1e-3);
    if (prev && next) gaps.push(next.start - prev.end);
  }
  return { us: gaps.length ? median(gaps) : Number.NaN, switches: gaps.length };
}

export async function measureHandoffOverhead(switchIntervalMs = 0.2): Promise<HandoffOverhead> {
  const lockUs = await measureLockHandoff(400, switchIntervalMs);
  // One unmeasured run warms the kept workers (a cold worker's switch path runs unoptimised), then
  // the median of three runs' medians.
  await measureRuntimeHandoff(switchIntervalMs);
  const runs: { us: number; switches: number }[] = [];
  for (let i = 0; i < 3; i++) runs.push(await measureRuntimeHandoff(switchIntervalMs));
  const runtimeUs = median(runs.map((r) => r.us));
  const runtimeSwitches = runs.reduce((n, r) => n + r.switches, 0);
  return { runtimeUs, lockUs, ratio: runtimeUs / lockUs, runtimeSwitches };
}
