import { Pool, type PoolOptions } from '../index.js';

export const tasksModule = new URL('./tasks.mjs', import.meta.url);

/** A task of the fixture module. */
export function fx(name: string): { module: URL; name: string } {
  return { module: tasksModule, name };
}

/** Runs `body` with a 2-worker pool that is always terminated afterwards. */
export async function withPool<T>(body: (pool: Pool) => Promise<T>, options: PoolOptions = {}): Promise<T> {
  const pool = new Pool({ processes: 2, ...options });
  try {
    return await body(pool);
  } finally {
    await pool.terminate();
  }
}

export function range(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => start + i);
}

/** The error `promise` rejects with (fails the test if it resolves). */
export async function rejection<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the promise to reject');
}
