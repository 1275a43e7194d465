import { describe, expect, it } from 'vitest';
import { fx, range, withPool } from './test-fixtures/helpers.js';

describe('work stealing', () => {
  it('chunks waiting behind a blocked worker are taken over by the idle worker, each run once', async () => {
    // Item -1 blocks its worker until all 999 other items are done. They are batched behind it
    // (chunksize 1, many chunks per batch); only stealing lets the other worker finish them.
    const buffer = new SharedArrayBuffer(8);
    const board = new Int32Array(buffer);
    board[1] = 999;
    const items = [-1, ...range(999)];
    const results = await withPool((pool) => pool.map(fx('waitForOthers'), items, { chunksize: 1 }), {
      initializer: fx('initBoard'),
      initargs: [buffer],
    });
    expect(results[0]).toBe('all done');
    expect(results.slice(1)).toEqual(range(999));
    expect(board[0]).toBe(999);
  });

  it('imap keeps input order when chunks are stolen', async () => {
    // chunksize 2: item 0 shares item -1's chunk and runs after it; the 499 others must not wait.
    const buffer = new SharedArrayBuffer(8);
    new Int32Array(buffer)[1] = 499;
    await withPool(
      async (pool) => {
        const out: unknown[] = [];
        for await (const value of pool.imap(fx('waitForOthers'), [-1, ...range(500)], { chunksize: 2 }))
          out.push(value);
        expect(out).toEqual(['all done', ...range(500)]);
      },
      { initializer: fx('initBoard'), initargs: [buffer] },
    );
  });
});
