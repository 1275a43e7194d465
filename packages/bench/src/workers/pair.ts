/**
 * A pair of long-lived workers for two-thread micro-benchmarks. Spawning a worker costs
 * milliseconds, so both are started once in `setup` and each sample is one message to each;
 * the workers meet at a barrier in shared memory before they start the clock.
 */
import { Worker } from 'node:worker_threads';

export interface PairResult {
  /** Wall time of the slower worker, nanoseconds. */
  elapsedNs: number;
  /** Whatever else the workers reported, by role. */
  replies: unknown[];
}

export class WorkerPair {
  readonly workers: [Worker, Worker];

  constructor(file: URL, workerData: Record<string, unknown>) {
    this.workers = [
      new Worker(file, { workerData: { ...workerData, role: 0 } }),
      new Worker(file, { workerData: { ...workerData, role: 1 } }),
    ];
  }

  /** Sends `message` to both workers and waits for both replies (`{ elapsedNs, ... }`). */
  async run(message: Record<string, unknown>): Promise<PairResult> {
    const replies = await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<{ elapsedNs: number }>((resolve, reject) => {
            const onError = (e: Error) => reject(e);
            w.once('message', (m: { elapsedNs: number }) => {
              w.off('error', onError);
              resolve(m);
            });
            w.once('error', onError);
            w.postMessage(message);
          }),
      ),
    );
    return { elapsedNs: Math.max(...replies.map((r) => r.elapsedNs)), replies };
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Barrier for two workers over word `index` of `words`: each sample has a generation number, and
 * a worker waits until both arrived for that generation.
 */
export function meet(words: Int32Array, index: number, generation: number): void {
  Atomics.add(words, index, 1);
  Atomics.notify(words, index);
  const target = generation * 2;
  for (;;) {
    const seen = Atomics.load(words, index);
    if (seen >= target) return;
    Atomics.wait(words, index, seen, 50);
  }
}
