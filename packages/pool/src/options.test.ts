import { describe, expect, it } from 'vitest';
import { defaultChunksize, Pool, PoolTypeError, PoolValueError } from './index.js';
import { fx } from './test-fixtures/helpers.js';

describe('constructor options are validated with messages naming the option', () => {
  const cases: [string, Record<string, unknown>, typeof PoolTypeError | typeof PoolValueError, RegExp][] = [
    [
      'processes < 1',
      { processes: 0 },
      PoolValueError,
      /options\.processes must be a positive integer, got 0/,
    ],
    ['fractional processes', { processes: 1.5 }, PoolValueError, /options\.processes/],
    [
      'non-number processes',
      { processes: '2' },
      PoolTypeError,
      /options\.processes must be a positive integer, got string/,
    ],
    ['maxTasksPerChild < 1', { maxTasksPerChild: 0 }, PoolValueError, /options\.maxTasksPerChild/],
    [
      'taskTimeoutMs <= 0',
      { taskTimeoutMs: -5 },
      PoolValueError,
      /options\.taskTimeoutMs must be a positive finite number/,
    ],
    ['batchesPerWorker < 1', { batchesPerWorker: 0 }, PoolValueError, /options\.batchesPerWorker/],
    [
      'initargs not an array',
      { initializer: fx('init'), initargs: 3 },
      PoolTypeError,
      /options\.initargs must be an array/,
    ],
    [
      'initargs without initializer',
      { initargs: [1] },
      PoolValueError,
      /options\.initargs needs options\.initializer/,
    ],
    ['signal not an AbortSignal', { signal: {} }, PoolTypeError, /options\.signal must be an AbortSignal/],
    [
      'relative initializer module',
      { initializer: { module: './x.js', name: 'f' } },
      PoolTypeError,
      /options\.initializer\.module/,
    ],
    [
      'missing initializer module',
      { initializer: { module: '/nonexistent/x.js', name: 'f' } },
      PoolValueError,
      /does not exist/,
    ],
  ];
  for (const [what, options, ErrorClass, message] of cases) {
    it(what, () => {
      expect(() => new Pool(options as never)).toThrow(ErrorClass);
      expect(() => new Pool(options as never)).toThrow(message);
    });
  }

  it('errors carry a stable code and the Python name', () => {
    try {
      new Pool({ processes: 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PoolValueError);
      expect((error as PoolValueError).code).toBe('ERR_GILKIT_POOL_VALUE');
      expect((error as PoolValueError).name).toBe('ValueError');
    }
  });
});

describe('defaultChunksize', () => {
  it('is CPython’s divmod(n, 4 * workers), plus one if there is a remainder', () => {
    expect(defaultChunksize(10_000, 2)).toBe(1250);
    expect(defaultChunksize(10_001, 2)).toBe(1251);
    expect(defaultChunksize(100_000, 2)).toBe(12_500);
    expect(defaultChunksize(7, 2)).toBe(1);
    expect(defaultChunksize(9, 2)).toBe(2);
    expect(defaultChunksize(0, 2)).toBe(1);
  });
});
