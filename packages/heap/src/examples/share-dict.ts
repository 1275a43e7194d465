/**
 * The README example, runnable: two workers write into one dict on a shared heap while the main
 * thread waits, then the main thread reads the dict. Run it after a build:
 * `node packages/heap/dist/examples/share-dict.js`.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { Heap } from '../index.js';

interface Shared {
  example: 'share-dict';
  buffer: SharedArrayBuffer;
  dict: number;
  name: string;
}

/** Main side: create the heap and the dict, start two workers, return the dict as a JS Map. */
export async function shareDict(): Promise<Map<unknown, unknown>> {
  // 'atomic': refcounts are safe without a GIL. The dict's contents are not: the workers update it
  // inside its critical section.
  const heap = Heap.create({ bytes: 4 << 20, refcountMode: 'atomic' });
  const dict = heap.newDict();
  const workers = ['left', 'right'].map(
    (name) =>
      new Worker(new URL(import.meta.url), {
        workerData: { example: 'share-dict', buffer: heap.buffer, dict, name },
      }),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  const result = heap.toJS(dict) as Map<unknown, unknown>;
  heap.decref(dict);
  return result;
}

/** Worker side: attach to the same heap and add an entry inside the dict's critical section. */
function workerMain(): void {
  const { buffer, dict, name } = workerData as Shared;
  const heap = Heap.attach(buffer); // a fresh thread id
  const key = heap.newStr(name);
  const value = heap.fromJS([heap.threadId, 'hello from a worker']);
  heap.withObjectLock(dict, () => heap.dictSet(dict, key, value)); // the dict takes its own references
  heap.decref(key);
  heap.decref(value);
  heap.detach();
}

if (!isMainThread && (workerData as Partial<Shared> | null)?.example === 'share-dict') {
  workerMain();
} else if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  shareDict().then((m) => console.log(m));
}
