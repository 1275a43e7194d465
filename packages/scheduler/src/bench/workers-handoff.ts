/**
 * WorkerRuntime hand-off overhead: the time from one thread dropping the GIL at a drop request to
 * the next thread running bytecode, measured from the runtime's own trace (it includes publishing
 * and loading the shared globals and the trace writes), against the same gap for a bare
 * @gilkit/lock Gil handed between two workers (handoff-worker.ts), in the same process.
 */
import { Worker } from 'node:worker_threads';
import { Gil } from '@gilkit/lock';
import { WorkerRuntime } from '../workers/runtime.js';

export interface HandoffOverhead {
  /** Mean µs from drop to the new holder running, WorkerRuntime. */
  runtimeUs: number;
  /** Mean µs from drop to take, bare Gil between two workers. */
  lockUs: number;
  ratio: number;
  runtimeSwitches: number;
}

function workerFile(): URL {
  const here = import.meta.url;
  return here.includes('/src/bench/')
    ? new URL('../../dist/bench/handoff-worker.js', here)
    : new URL('./handoff-worker.js', here);
}

/** Mean drop-to-take gap of a bare Gil between two workers over `switches` hand-offs. */
export async function measureLockHandoff(switches = 400, switchIntervalMs = 0.2): Promise<number> {
  const gil = Gil.create({ policy: 'cpython', switchIntervalMs });
  const shared = new SharedArrayBuffer(64);
  const ws = [0, 1].map(
    () => new Worker(workerFile(), { workerData: { gil: gil.buffer, shared, switches } }),
  );
  await Promise.all(ws.map((w) => new Promise((resolve) => w.on('exit', resolve))));
  const f = new Float64Array(shared);
  return (f[1] / f[2]) * 1000;
}

/** Mean drop-to-running gap at forced switches in a WorkerRuntime run of two countdown threads. */
export async function measureRuntimeHandoff(
  switchIntervalMs = 0.2,
): Promise<{ us: number; switches: number }> {
  const src = `import threading
def countdown(n):
    while n > 0:
        n -= 1
ts = [threading.Thread(target=countdown, args=(3000000,)) for _ in range(2)]
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
  return { us: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length), switches: gaps.length };
}

export async function measureHandoffOverhead(switchIntervalMs = 0.2): Promise<HandoffOverhead> {
  const lockUs = await measureLockHandoff(400, switchIntervalMs);
  const rt = await measureRuntimeHandoff(switchIntervalMs);
  return { runtimeUs: rt.us, lockUs, ratio: rt.us / lockUs, runtimeSwitches: rt.switches };
}
