import { describe, expect, it } from 'vitest';
import { PoolTypeError } from './index.js';
import { fx, range, withPool } from './test-fixtures/helpers.js';

const N = 10_000;
const squares = range(N).map((x) => x * x);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe('imap', () => {
  it('yields every result in input order over 10,000 items (chunksize 1 and 64)', async () => {
    await withPool(async (pool) => {
      expect(await collect(pool.imap(fx('square'), range(N)))).toEqual(squares);
      expect(await collect(pool.imap(fx('square'), range(N), { chunksize: 64 }))).toEqual(squares);
    });
  });

  it('imapUnordered yields every result exactly once over 10,000 items', async () => {
    await withPool(async (pool) => {
      const out = await collect(pool.imapUnordered<number>(fx('square'), range(N), { chunksize: 3 }));
      expect(out.length).toBe(N);
      expect([...out].sort((a, b) => a - b)).toEqual(squares);
    });
  });

  it('reads an async iterable input', async () => {
    async function* numbers() {
      for (let i = 0; i < 500; i++) {
        if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        yield i;
      }
    }
    expect(await withPool((pool) => collect(pool.imap(fx('square'), numbers(), { chunksize: 8 })))).toEqual(
      range(500).map((x) => x * x),
    );
  });

  it('applies back-pressure: an endless input is read only a bounded distance ahead of the consumer', async () => {
    let pulled = 0;
    let closed = false;
    function* endless() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield i;
        }
      } finally {
        closed = true;
      }
    }
    await withPool(async (pool) => {
      let consumed = 0;
      for await (const value of pool.imap<number>(fx('square'), endless(), {
        chunksize: 4,
        highWaterMark: 8,
      })) {
        expect(value).toBe(consumed * consumed);
        if (++consumed === 200) break;
      }
      // At most highWaterMark chunks of 4 beyond what was consumed (+ one chunk being filled).
      expect(pulled).toBeLessThanOrEqual(200 + 8 * 4 + 4);
      expect(closed).toBe(true);
    });
  });

  it('throws at the failing position, after yielding every earlier result', async () => {
    await withPool(async (pool) => {
      const seen: number[] = [];
      const run = async () => {
        for await (const value of pool.imap<number>(fx('failOn13'), range(100), { chunksize: 5 }))
          seen.push(value);
      };
      await expect(run()).rejects.toThrow('item 13 exploded');
      expect(seen).toEqual(range(13).map((x) => x * x));
    });
  });

  it('throws the input’s own error at the position where the input failed', async () => {
    function* broken() {
      yield 1;
      yield 2;
      throw new Error('input broke');
    }
    await withPool(async (pool) => {
      const seen: unknown[] = [];
      const run = async () => {
        for await (const value of pool.imap(fx('square'), broken())) seen.push(value);
      };
      await expect(run()).rejects.toThrow('input broke');
      expect(seen).toEqual([1, 4]);
    });
  });

  it('throws on bad arguments at once', async () => {
    await withPool(async (pool) => {
      expect(() => pool.imap(fx('square'), 3 as never)).toThrow(PoolTypeError);
      expect(() => pool.imapUnordered(fx('square'), [1], { chunksize: 0 })).toThrow(/options\.chunksize/);
      expect(() => pool.imap(fx('square'), [1], { highWaterMark: -1 })).toThrow(/options\.highWaterMark/);
    });
  });

  it('after close(), join() finishes without the consumer and the results stay readable', async () => {
    await withPool(async (pool) => {
      const results = pool.imap<number>(fx('square'), range(1000), { highWaterMark: 4 });
      const first = await results.next();
      expect(first.value).toBe(0);
      pool.close();
      await pool.join();
      const rest = await collect(results);
      expect([0, ...rest]).toEqual(range(1000).map((x) => x * x));
    });
  });
});
