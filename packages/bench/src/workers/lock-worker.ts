/**
 * Worker side of the lock suite. Modes:
 * - `pingpong`: a bare futex word bounces between the two workers (Atomics.wait/notify): the floor
 *   for any hand-off between two threads.
 * - `handoff`: the GIL bounces between them: the holder requests its own drop (as a waiter's drop
 *   request would) and drops; forced switching makes the other side take it next.
 * - `cpu`: both workers behave like CPU-bound Python threads for `ms` milliseconds: work in small
 *   slices, checking `dropRequested()` between slices as the eval loop does at backward jumps, and
 *   yielding when asked. The GIL's policy decides how often they switch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Gil } from '@gilkit/lock';
import { meet } from './pair.js';

interface Data {
  role: 0 | 1;
  /** [0] barrier, [1] ping-pong turn, [2..4] hand-off bookkeeping */
  words: SharedArrayBuffer;
}
interface Message {
  mode: 'pingpong' | 'handoff' | 'cpu';
  generation: number;
  rounds: number;
  gil?: SharedArrayBuffer;
  ms?: number;
}

const { role, words } = workerData as Data;
const w = new Int32Array(words);
let sink = 0;

function pingpong(rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    while (Atomics.load(w, 1) !== role) Atomics.wait(w, 1, 1 - role);
    Atomics.store(w, 1, 1 - role);
    Atomics.notify(w, 1, 1);
  }
}

function handoff(gil: Gil, handoffs: number, holding: boolean): void {
  // Words: [2] role+1 of the last holder, [3] hand-offs so far, [4] stop flag. The GIL goes back
  // and forth until it changed holder `handoffs` times; a turn that finds itself the last holder
  // (no hand-off: the other side was not waiting yet) is not counted, so time is per real hand-off.
  if (!holding) gil.take();
  for (;;) {
    if (w[4] !== 0) {
      gil.drop();
      return;
    }
    if (w[2] !== role + 1) {
      w[2] = role + 1;
      if (++w[3] >= handoffs) w[4] = 1;
    }
    // What the eval loop does when a waiter's drop request arrives: yield (drop, then retake);
    // forced switching keeps us from retaking before the other side took it.
    gil.requestDrop();
    gil.yield();
  }
}

function cpu(gil: Gil, ms: number): number {
  let slices = 0;
  gil.take();
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) sink = (sink + i * 7) % 1000003;
    slices++;
    if (gil.dropRequested()) gil.yield();
  }
  gil.drop();
  return slices;
}

parentPort!.on('message', (m: Message) => {
  const gil = m.gil ? Gil.from(m.gil) : null;
  // Role 0 holds the GIL before the clock starts, so the first counted take is a hand-off.
  if (m.mode === 'handoff' && role === 0) gil!.take();
  meet(w, 0, m.generation);
  const t0 = performance.now();
  let slices = 0;
  if (m.mode === 'pingpong') pingpong(m.rounds);
  else if (m.mode === 'handoff') handoff(gil!, m.rounds, role === 0);
  else slices = cpu(gil!, m.ms ?? 100);
  const elapsedNs = (performance.now() - t0) * 1e6;
  parentPort!.postMessage({ elapsedNs, slices, sink: sink === -1 ? 1 : 0 });
});
