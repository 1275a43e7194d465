/**
 * Real threads on one shared heap. Workers load the built package (dist/), so build first
 * (the turbo `test` task depends on `build`). The `gil` mode test serialises the workers with a
 * real GIL from @gilkit/lock (a dev dependency, also loaded from its dist/).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Gil } from '@gilkit/lock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Heap } from './heap.js';
import type { RefcountMode } from './layout.js';

const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const lockIndex = join(
  dirname(createRequire(import.meta.url).resolve('@gilkit/lock/package.json')),
  'dist/index.js',
);
const ITERATIONS = 100_000;
const WORKERS = 4;

// Worker body (CommonJS eval): attach, wait at a start barrier, run the op loop, report. With a
// GIL the loop runs like an eval loop: it holds the GIL and yields when another thread asks.
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { Heap } = await import(workerData.heapUrl);
  const gil = workerData.gil ? (await import(workerData.lockUrl)).Gil.from(workerData.gil) : null;
  const heap = Heap.attach(workerData.buffer, { threadId: gil ? gil.threadId : workerData.threadId });
  const sync = new Int32Array(workerData.sync);
  const { a, b, iterations, drops } = workerData;
  Atomics.add(sync, 1, 1);
  while (Atomics.load(sync, 1) < workerData.workers) Atomics.wait(sync, 1, Atomics.load(sync, 1), 5);
  if (gil) gil.take();
  for (let i = 0; i < iterations; i++) {
    heap.incref(a);
    heap.incref(b);
    heap.decref(a);
    if (drops) heap.decref(drops);
    if ((i & 63) === 0) {
      // Allocator traffic from every thread at once: a fresh int and a fresh str, freed again.
      const n = heap.newInt(1000 + i);
      const s = heap.newStr('worker ' + i);
      heap.decref(n);
      heap.decref(s);
    }
    if (gil && gil.dropRequested()) gil.yield();
  }
  if (workerData.dict) {
    const k = heap.newStr('from worker ' + heap.threadId);
    const v = heap.newInt(heap.threadId * 1000);
    heap.dictSet(workerData.dict, k, v);
    heap.decref(k);
    heap.decref(v);
  }
  heap.detach(); // merge what was queued to this thread, return its cached blocks
  const switches = gil ? gil.stats() : null;
  if (gil) gil.drop();
  parentPort.postMessage({ switches });
})().catch((err) => parentPort.postMessage({ error: String(err && err.stack || err) }));
`;

interface Job {
  buffer: SharedArrayBuffer;
  a: number;
  b: number;
  drops?: number;
  dict?: number;
  /** A GIL's buffer: workers take it (gil mode); absent: no lock at all. */
  gil?: SharedArrayBuffer;
}

const live: Worker[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((w) => w.terminate()));
});

function runWorkers(job: Job): Promise<void> {
  const sync = new SharedArrayBuffer(8);
  const runs = Array.from({ length: WORKERS }, (_, k) => {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        ...job,
        sync,
        heapUrl: pathToFileURL(distIndex).href,
        lockUrl: pathToFileURL(lockIndex).href,
        threadId: k + 1,
        workers: WORKERS,
        iterations: ITERATIONS,
      },
    });
    live.push(worker);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('worker timed out')), 40_000);
      worker.once('message', (msg: { error?: string }) => {
        clearTimeout(timer);
        if (msg.error) reject(new Error(msg.error));
        else resolve();
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  });
  return Promise.all(runs).then(() => undefined);
}

describe('shared heap across worker threads', () => {
  beforeAll(() => {
    if (!existsSync(distIndex)) throw new Error(`build @gilkit/heap first: ${distIndex} is missing`);
  });

  it('gil mode: 4 workers x 100,000 under a @gilkit/lock GIL end with exact counts', async () => {
    const heap = Heap.create({ bytes: 8 << 20, refcountMode: 'gil' });
    const gil = Gil.create({ switchIntervalMs: 1 });
    const a = heap.newStr('object a');
    const b = heap.newList();
    const d = heap.newDict();
    await runWorkers({ buffer: heap.buffer as SharedArrayBuffer, a, b, dict: d, gil: gil.buffer });
    expect(gil.stats().takes).toBeGreaterThan(WORKERS); // the GIL really changed hands
    expect(heap.refcount(a)).toBe(1);
    expect(heap.refcount(b)).toBe(1 + WORKERS * ITERATIONS);
    expect(heap.dictLen(d)).toBe(WORKERS);
    const roots = [a, d, ...new Array<number>(1 + WORKERS * ITERATIONS).fill(b)];
    expect(heap.verify({ roots }).errors).toEqual([]);
  }, 60_000);

  it.each(['atomic', 'biased'] as const)(
    '%s mode: 4 workers x 100,000 without a lock end with exact counts',
    async (mode: RefcountMode) => {
      const heap = Heap.create({ bytes: 8 << 20, refcountMode: mode, threadId: 0 });
      const a = heap.newStr('object a');
      const b = heap.newList();
      // `drops`: references the main thread (the owner) takes now and the workers drop, so in
      // biased mode the shared count goes negative and the object is queued back to its owner.
      const drops = heap.newStr('dropped by workers');
      for (let k = 0; k < WORKERS * ITERATIONS; k++) heap.incref(drops);
      await runWorkers({ buffer: heap.buffer as SharedArrayBuffer, a, b, drops });
      if (mode === 'biased') expect(heap.hasQueued()).toBe(true);
      heap.mergeQueued();
      expect(heap.refcount(a)).toBe(1);
      expect(heap.refcount(b)).toBe(1 + WORKERS * ITERATIONS);
      expect(heap.refcount(drops)).toBe(1);
      const roots = [a, drops, ...new Array<number>(1 + WORKERS * ITERATIONS).fill(b)];
      expect(heap.verify({ roots }).errors).toEqual([]);
      expect(heap.stats().merged).toBe(mode === 'biased' ? 1 : 0);
    },
    60_000,
  );

  it('the README example shares a dict between two workers', async () => {
    const example = fileURLToPath(new URL('../dist/examples/share-dict.js', import.meta.url));
    const { shareDict } = (await import(pathToFileURL(example).href)) as {
      shareDict: () => Promise<Map<unknown, unknown>>;
    };
    const result = await shareDict();
    expect([...result.keys()].sort()).toEqual(['left', 'right']);
    for (const value of result.values()) expect((value as unknown[])[1]).toBe('hello from a worker');
  }, 30_000);

  it.each(['atomic', 'biased'] as const)(
    '%s mode: 4 workers allocating and freeing containers at once leave a clean heap',
    async (mode: RefcountMode) => {
      const heap = Heap.create({ bytes: 16 << 20, refcountMode: mode, checked: true });
      const source = `
        const { workerData, parentPort } = require('node:worker_threads');
        import(workerData.heapUrl).then(({ Heap }) => {
          const heap = Heap.attach(workerData.buffer);
          const pad = 'x'.repeat(700); // > 512 bytes: the large-object path
          for (let i = 0; i < 5000; i++) {
            const items = [heap.newInt(100000 + i), heap.newFloat(i / 3), heap.newStr('s' + i),
              heap.newStr(pad + i), heap.newTuple([]), heap.newBytes([i & 255, 1, 2])];
            const list = heap.newList(items);
            const d = heap.newDict();
            for (const it of items) { heap.dictSet(d, it, list); heap.decref(it); }
            if (i % 7 === 0) heap.listAppend(list, list); // a cycle: left to the collector
            heap.decref(list);
            heap.decref(d);
          }
          heap.detach();
          parentPort.postMessage('done');
        }).catch((err) => parentPort.postMessage(String(err && err.stack || err)));
      `;
      const runs = Array.from({ length: WORKERS }, () => {
        const worker = new Worker(source, {
          eval: true,
          workerData: { buffer: heap.buffer, heapUrl: pathToFileURL(distIndex).href },
        });
        live.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once('message', (msg) => (msg === 'done' ? resolve() : reject(new Error(String(msg)))));
          worker.once('error', reject);
        });
      });
      await Promise.all(runs);
      expect(heap.verify({ roots: [] }).errors).toEqual([]);
      expect(heap.collect()).toBe(WORKERS * Math.ceil(5000 / 7));
      heap.detach();
      const stats = heap.stats();
      expect(stats.bytesInUse).toBe(0);
      expect(stats.allocations).toBe(stats.frees);
      expect(heap.verify({ roots: [] }).ok).toBe(true);
    },
    60_000,
  );

  it.each(['atomic', 'biased'] as const)(
    '%s mode: 4 workers mutate one shared list and dict inside object critical sections',
    async (mode: RefcountMode) => {
      const heap = Heap.create({ bytes: 16 << 20, refcountMode: mode, checked: true });
      const list = heap.newList();
      const dict = heap.newDict();
      const source = `
        const { workerData, parentPort } = require('node:worker_threads');
        import(workerData.heapUrl).then(({ Heap }) => {
          const heap = Heap.attach(workerData.buffer);
          const { list, dict } = workerData;
          for (let i = 0; i < 5000; i++) {
            const item = heap.newInt(heap.threadId * 100000 + i);
            heap.lockObject(list);
            heap.listAppend(list, item);
            heap.unlockObject(list);
            heap.lockObjects2(dict, list);
            heap.dictSet(dict, item, list);
            if (i % 2 === 0) heap.dictDelete(dict, item);
            heap.unlockObjects2(dict, list);
            heap.decref(item);
          }
          heap.detach();
          parentPort.postMessage('done');
        }).catch((err) => parentPort.postMessage(String(err && err.stack || err)));
      `;
      await Promise.all(
        Array.from({ length: WORKERS }, () => {
          const worker = new Worker(source, {
            eval: true,
            workerData: { buffer: heap.buffer, list, dict, heapUrl: pathToFileURL(distIndex).href },
          });
          live.push(worker);
          return new Promise<void>((resolve, reject) => {
            worker.once('message', (msg) => (msg === 'done' ? resolve() : reject(new Error(String(msg)))));
            worker.once('error', reject);
          });
        }),
      );
      expect(heap.listLen(list)).toBe(WORKERS * 5000);
      expect(heap.dictLen(dict)).toBe(WORKERS * 2500);
      expect(heap.refcount(list)).toBe(1 + WORKERS * 2500);
      const roots = [list, dict];
      expect(heap.verify({ roots }).errors).toEqual([]);
    },
    60_000,
  );

  it("biased mode: owners and non-owners race on each other's objects; every object is freed exactly once", async () => {
    const heap = Heap.create({ bytes: 16 << 20, refcountMode: 'biased', checked: true });
    const shared = new SharedArrayBuffer(4 * 16);
    const M = 20_000;
    const source = `
      const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.heapUrl).then(({ Heap }) => {
        const heap = Heap.attach(workerData.buffer);
        const slots = new Int32Array(workerData.shared); // [0..3] objects, [8] barrier 1, [9] barrier 2
        const me = workerData.index;
        const n = workerData.workers;
        const M = workerData.M;
        const barrier = (at) => {
          Atomics.add(slots, at, 1);
          while (Atomics.load(slots, at) < n) Atomics.wait(slots, at, Atomics.load(slots, at), 5);
        };
        const mine = heap.newList([heap.newStr('payload of ' + me)]);
        heap.decref(heap.listGet(mine, 0));
        for (let k = 0; k < (n - 1) * M; k++) heap.incref(mine); // references handed to the others
        Atomics.store(slots, me, mine);
        barrier(8);
        const objs = Array.from({ length: n }, (_, j) => Atomics.load(slots, j));
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < n; j++) {
            heap.incref(objs[j]);
            heap.decref(objs[j]);
            if (j !== me) heap.decref(objs[j]); // drop one handed reference: shared goes negative
          }
          if ((i & 1023) === 0) heap.mergeQueued(); // the owner's eval breaker
        }
        barrier(9);
        heap.decref(mine); // the owner's own reference: local hits zero, merge
        heap.detach(); // merge what is still queued; later queuers merge on the spot
        parentPort.postMessage('done');
      }).catch((err) => parentPort.postMessage(String(err && err.stack || err)));
    `;
    await Promise.all(
      Array.from({ length: WORKERS }, (_, index) => {
        const worker = new Worker(source, {
          eval: true,
          workerData: {
            buffer: heap.buffer,
            shared,
            index,
            workers: WORKERS,
            M,
            heapUrl: pathToFileURL(distIndex).href,
          },
        });
        live.push(worker);
        return new Promise<void>((resolve, reject) => {
          worker.once('message', (msg) => (msg === 'done' ? resolve() : reject(new Error(String(msg)))));
          worker.once('error', reject);
        });
      }),
    );
    const stats = heap.stats();
    expect(heap.verify({ roots: [] }).errors).toEqual([]);
    expect(stats.objects).toBe(stats.immortalObjects); // 4 lists and 4 strs, each freed once
    expect(stats.bytesInUse).toBe(0);
    expect(stats.queued).toBeGreaterThan(0); // the queue path really ran
  }, 60_000);
});
