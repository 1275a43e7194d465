import { describe, expect, it } from 'vitest';
import { fx, withPool } from './test-fixtures/helpers.js';

describe('workers run in parallel', () => {
  it('two tasks of one map are running at the same moment, on two different workers', async () => {
    // Each task waits at a barrier until both have arrived: this only finishes if the two workers
    // run at the same time (a pool that ran them one after another would report 'alone').
    const buffer = new SharedArrayBuffer(8);
    new Int32Array(buffer)[1] = 2;
    const results = await withPool(
      (pool) => pool.map<[number, number | string]>(fx('meetOthers'), [0, 1], { chunksize: 1 }),
      {
        initializer: fx('initBoard'),
        initargs: [buffer],
      },
    );
    expect(results.map(([x]) => x)).toEqual([0, 1]);
    expect(results.every(([, who]) => typeof who === 'number')).toBe(true);
    expect(results[0]![1]).not.toBe(results[1]![1]);
  });
});
