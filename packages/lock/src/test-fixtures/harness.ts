/**
 * Test harness: starts real worker_threads from the built fixtures in dist/test-fixtures and
 * collects their messages. Every worker is terminated, and every wait has a deadline, so a broken
 * lock fails a test instead of hanging the suite.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerMessage {
  type: string;
  [key: string]: unknown;
}

export interface Spawned {
  worker: Worker;
  /** Messages received so far. */
  messages: WorkerMessage[];
  /** Resolves with the first message of `type` (rejects on error, exit or timeout). */
  next(type: string, timeoutMs?: number): Promise<WorkerMessage>;
  /** Resolves with the exit code. */
  exited: Promise<number>;
}

const fixtureUrl = (name: string) => new URL(`../../dist/test-fixtures/${name}.js`, import.meta.url);

export function spawn(fixture: string, workerData: unknown): Spawned {
  const worker = new Worker(fixtureUrl(fixture), { workerData });
  const messages: WorkerMessage[] = [];
  const listeners: Array<() => void> = [];
  let failure: unknown = null;
  let exitCode: number | null = null;
  worker.on('message', (m: WorkerMessage) => {
    messages.push(m);
    for (const l of listeners.splice(0)) l();
  });
  worker.on('error', (e) => {
    failure = e;
    for (const l of listeners.splice(0)) l();
  });
  const exited = new Promise<number>((resolve) => {
    worker.on('exit', (code) => {
      exitCode = code;
      for (const l of listeners.splice(0)) l();
      resolve(code);
    });
  });
  const next = (type: string, timeoutMs = 20_000) =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for '${type}' from ${fixture}`)),
        timeoutMs,
      );
      const check = () => {
        const m = messages.find((x) => x.type === type);
        if (m) {
          clearTimeout(timer);
          messages.splice(messages.indexOf(m), 1);
          resolve(m);
        } else if (failure) {
          clearTimeout(timer);
          reject(failure);
        } else if (exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`${fixture} exited with ${exitCode} before sending '${type}'`));
        } else {
          listeners.push(check);
        }
      };
      check();
    });
  return { worker, messages, next, exited };
}

/** Runs `fn` with the spawned workers and always terminates them afterwards. */
export async function withWorkers<T>(workers: Spawned[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
