/**
 * Worker side of `measureHandoff`: two of these alternate ownership `roundTrips` times, either of
 * a bare futex word (ping-pong baseline) or of the GIL.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Gil } from '../gil.js';

interface Data {
  mode: 'pingpong' | 'gil';
  buffer: SharedArrayBuffer;
  words: SharedArrayBuffer;
  start: SharedArrayBuffer;
  roundTrips: number;
  role: 0 | 1;
}

const { mode, buffer, words, start, roundTrips, role } = workerData as Data;
const go = new Int32Array(start);
const gil = mode === 'pingpong' ? null : Gil.from(buffer);

// Barrier: both workers are up (and, for the GIL, role 0 holds it) before the clock starts.
if (gil && role === 0) gil.take();
Atomics.add(go, 0, 1);
Atomics.notify(go, 0);
while (Atomics.load(go, 0) < 2) Atomics.wait(go, 0, Atomics.load(go, 0), 100);

// Role 0 stamps every arrival of the turn/GIL from the other side; consecutive stamps are one
// round trip each. Their median resists the multi-millisecond stalls a busy machine inflicts on
// a few of them, which dominate the mean.
const stamps: number[] = [];
const t0 = performance.now();
if (mode === 'pingpong') {
  // word 0 is whose turn it is.
  const w = new Int32Array(buffer);
  for (let i = 0; i < roundTrips; i++) {
    while (Atomics.load(w, 0) !== role) Atomics.wait(w, 0, 1 - role);
    if (role === 0) stamps.push(performance.now());
    Atomics.store(w, 0, 1 - role);
    Atomics.notify(w, 0, 1);
  }
} else if (gil) {
  // The GIL moves back and forth until it has changed hands 2 x roundTrips times, the way the eval
  // loop gives it up: `yield()` at a check. Iterations that found the GIL last held by ourselves
  // (no hand-off) are not counted, so the time is per real hand-off.
  // words: [0] = role + 1 of the last holder, [1] = hand-offs, [2] = stop flag.
  const w = new Int32Array(words);
  if (role === 1) gil.take(); // role 0 took it before the barrier
  for (;;) {
    if (w[2] !== 0) break;
    if (w[0] !== role + 1) {
      if (role === 0) stamps.push(performance.now());
      w[0] = role + 1;
      if (++w[1]! >= 2 * roundTrips) w[2] = 1;
    }
    // As if the waiting thread had asked (minus the interval it would first sleep): forced
    // switching keeps us from retaking before it took over.
    gil.requestDrop();
    gil.yield();
  }
  gil.drop();
}
const elapsedMs = performance.now() - t0;
const roundTripsUs = stamps.slice(1).map((t, i) => (t - stamps[i]!) * 1000);
parentPort!.postMessage({ elapsedMs, roundTripsUs });
