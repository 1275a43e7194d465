/**
 * Worker side of the lock suite's switching row (the hand-off ratio is measured by
 * `@gilkit/lock/bench`'s `measureHandoff`, the same method as the lock package's own benchmark):
 * both workers behave like CPU-bound Python threads for `ms` milliseconds: work in small slices,
 * checking `dropRequested()` between slices as the eval loop does at backward jumps, and yielding
 * when asked. The GIL's policy decides how often they switch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Gil } from '@gilkit/lock';
import { meet } from './pair.js';

interface Data {
  role: 0 | 1;
  /** [0] barrier */
  words: SharedArrayBuffer;
}
interface Message {
  mode: 'cpu';
  generation: number;
  rounds: number;
  gil?: SharedArrayBuffer;
  ms?: number;
}

const { words } = workerData as Data;
const w = new Int32Array(words);
let sink = 0;

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
  const gil = Gil.from(m.gil!);
  meet(w, 0, m.generation);
  const t0 = performance.now();
  const slices = cpu(gil, m.ms ?? 100);
  const elapsedNs = (performance.now() - t0) * 1e6;
  parentPort!.postMessage({ elapsedNs, slices, sink: sink === -1 ? 1 : 0 });
});
