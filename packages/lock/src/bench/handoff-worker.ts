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
  /** Untimed round trips first, so both sides are measured with optimised (JIT) code. */
  warmup: number;
  role: 0 | 1;
}

const { mode, buffer, words, start, roundTrips, warmup, role } = workerData as Data;
const go = new Int32Array(start);
const gil = mode === 'pingpong' ? null : Gil.from(buffer);

// Barrier: both workers are up (and, for the GIL, role 0 holds it) before the clock starts.
if (gil && role === 0) gil.take();
Atomics.add(go, 0, 1);
Atomics.notify(go, 0);
while (Atomics.load(go, 0) < 2) Atomics.wait(go, 0, Atomics.load(go, 0), 100);

// Role 0 stamps every arrival of the turn/GIL from the other side; consecutive stamps are one
// round trip each. Their median resists the multi-millisecond stalls a busy machine inflicts on
// a few of them, which dominate the mean. Both modes first run `warmup` untimed round trips in
// the same loop: each pair runs in fresh workers, and without a warm-up most of the GIL's
// samples came from code V8 had not optimised yet (the ping-pong's tiny loop is optimised almost
// at once), which inflated the ratio from about 1.4x to about 2.2x.
const stamps: number[] = [];
const total = warmup + roundTrips;
let t0 = performance.now();
if (mode === 'pingpong') {
  // word 0 is whose turn it is.
  const w = new Int32Array(buffer);
  for (let i = 0; i < total; i++) {
    while (Atomics.load(w, 0) !== role) Atomics.wait(w, 0, 1 - role);
    if (role === 0 && i >= warmup) {
      if (i === warmup) t0 = performance.now();
      stamps.push(performance.now());
    }
    Atomics.store(w, 0, 1 - role);
    Atomics.notify(w, 0, 1);
  }
} else if (gil) {
  // The GIL goes back and forth the way the eval loop gives it up: the holder sees a drop request
  // (set here directly, so the interval a waiter would first sleep is left out) and yields; forced
  // switching makes every yield a hand-off to the other side, which is waiting. Role 0 counts its
  // round trips and raises the stop flag, words[0].
  const w = new Int32Array(words);
  if (role === 1) gil.take(); // role 0 took it before the barrier
  if (role === 0) {
    // Start once role 1 waits for the GIL; from then on the side not holding it is always
    // registered (a yield registers before it releases), so every yield is a hand-off.
    while (gil.waiters() === 0) Atomics.wait(go, 1, 0, 1);
    for (let i = 0; i < total; i++) {
      gil.requestDrop();
      gil.yield();
      if (i >= warmup) {
        if (i === warmup) t0 = performance.now();
        stamps.push(performance.now());
      }
    }
    Atomics.store(w, 0, 1);
  } else {
    // A plain read of the stop flag: an Atomics call per round trip would be one more than the
    // ping-pong's loop makes (the yield's atomics make it visible soon enough).
    while (w[0] === 0) {
      gil.requestDrop();
      gil.yield();
    }
  }
  gil.drop();
}
const elapsedMs = performance.now() - t0;
const roundTripsUs = stamps.slice(1).map((t, i) => (t - stamps[i]!) * 1000);
parentPort!.postMessage({ elapsedMs, roundTripsUs });
