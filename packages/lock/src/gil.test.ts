import { describe, expect, it } from 'vitest';
import { GIL_BYTES, Gil, InvalidHandleError, RuntimeError, ValueError } from './index.js';
import { type PolicyName, policies } from './policy.js';
import { spawn, withWorkers } from './test-fixtures/harness.js';

describe('Gil in one thread', () => {
  it('takes, drops and reports the holder', () => {
    const gil = Gil.create();
    expect(gil.holder()).toBeNull();
    expect(gil.take()).toBe(true);
    expect(gil.holder()).toBe(gil.threadId);
    expect(gil.isHeld()).toBe(true);
    gil.drop();
    expect(gil.holder()).toBeNull();
    expect(gil.lastHolder()).toBe(gil.threadId);
    expect(gil.stats().takes).toBe(1);
  });

  it('keeps one id per thread per buffer, even through another handle', () => {
    const gil = Gil.create();
    const again = Gil.from(gil.buffer);
    expect(again.threadId).toBe(gil.threadId);
    gil.take();
    expect(again.holder()).toBe(again.threadId);
    again.drop();
    expect(gil.holder()).toBeNull();
  });

  it('drop by a thread that does not hold it: RuntimeError, state unchanged', () => {
    const gil = Gil.create();
    const err = (() => {
      try {
        gil.drop();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe('ERR_RELEASE_UNLOCKED');
    expect((err as Error).message).toMatch(/release unlocked lock/);
    expect(gil.holder()).toBeNull();
    expect(gil.stats().takes).toBe(0);
  });

  it('taking twice in one thread is a RuntimeError, not a hang', () => {
    const gil = Gil.create();
    gil.take();
    expect(() => gil.take()).toThrow(expect.objectContaining({ code: 'ERR_DEADLOCK' }));
    expect(gil.holder()).toBe(gil.threadId);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'rejects switch interval %s with a RangeError and keeps the old one',
    (bad) => {
      const gil = Gil.create({ switchIntervalMs: 2 });
      expect(() => gil.setSwitchInterval(bad)).toThrow(RangeError);
      expect(() => gil.setSwitchInterval(bad)).toThrow(/switch interval must be strictly positive/);
      expect(() => Gil.create({ switchIntervalMs: bad })).toThrow(ValueError);
      expect(gil.getSwitchInterval()).toBe(2);
    },
  );

  it('stores the interval in microseconds, at least 1 µs', () => {
    const gil = Gil.create();
    expect(gil.getSwitchInterval()).toBe(5);
    gil.setSwitchInterval(0.25);
    expect(gil.getSwitchInterval()).toBe(0.25);
    gil.setSwitchInterval(1e-9);
    expect(gil.getSwitchInterval()).toBe(0.001);
  });

  it('rejects a buffer of the wrong size or magic with a clear error', () => {
    expect(() => Gil.from(new SharedArrayBuffer(64))).toThrow(InvalidHandleError);
    expect(() => Gil.from(new SharedArrayBuffer(64))).toThrow(/expected \d+ bytes, got 64/);
    expect(() => Gil.from(new SharedArrayBuffer(GIL_BYTES))).toThrow(/bad magic/);
    expect(() => Gil.from(new ArrayBuffer(GIL_BYTES) as unknown as SharedArrayBuffer)).toThrow(
      /SharedArrayBuffer/,
    );
  });

  it('rejects an unknown policy and bad legacy ticks', () => {
    expect(() => Gil.create({ policy: 'nope' as PolicyName })).toThrow(/options.policy/);
    expect(() => policies.legacy && Gil.create({ policy: { ...policies.legacy, ticks: 0 } })).toThrow(
      /ticks/,
    );
  });

  it('take({timeoutMs}) returns false when the lock stays held', () => {
    const gil = Gil.create();
    gil.take();
    // Another handle in the same thread shares the id: use a fresh GIL "held" by a fake id.
    const other = Gil.create({ switchIntervalMs: 1 });
    new Int32Array(other.buffer)[2] = 200; // STATE := thread 200 (nobody)
    expect(other.take({ timeoutMs: 5 })).toBe(false);
    expect(other.holder()).toBe(200);
    expect(other.stats().dropRequests).toBeGreaterThanOrEqual(1);
    expect(other.recover(200)).toBe(true);
    expect(other.take({ timeoutMs: 5 })).toBe(true);
    expect(other.stats().ownerDeaths).toBe(1);
  });

  it('legacy dropRequested() turns true every `ticks` checks', () => {
    const gil = Gil.create({ policy: policies.legacy });
    gil.take();
    let trues = 0;
    for (let i = 0; i < 1000; i++) if (gil.dropRequested()) trues++;
    expect(trues).toBe(10);
  });

  it('withoutGil drops around sync and async work and retakes after', async () => {
    const gil = Gil.create();
    gil.take();
    const inside = gil.withoutGil(() => gil.holder());
    expect(inside).toBeNull();
    expect(gil.isHeld()).toBe(true);
    expect(() =>
      gil.withoutGil(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(gil.isHeld()).toBe(true);
    const v = await gil.withoutGil(async () => {
      await new Promise((r) => setTimeout(r, 1));
      return gil.holder();
    });
    expect(v).toBeNull();
    expect(gil.isHeld()).toBe(true);
    gil.drop();
  });
});

const policyNames: PolicyName[] = ['cpython', 'legacy', 'fifo'];

describe('Gil across worker threads', () => {
  it.each(policyNames)(
    'mutual exclusion: 4 workers x 50,000 take/RMW/drop end at 200,000 (%s)',
    async (policy) => {
      const gil = Gil.create({ policy, switchIntervalMs: 1 });
      const shared = new SharedArrayBuffer(4);
      const start = new SharedArrayBuffer(4);
      const ws = Array.from({ length: 4 }, () =>
        spawn('gil-worker', {
          scenario: 'counter',
          buffer: gil.buffer,
          shared,
          iterations: 50_000,
          start,
          parties: 4,
        }),
      );
      await withWorkers(ws, async () => {
        await Promise.all(ws.map((w) => w.next('done', 50_000)));
      });
      expect(new Int32Array(shared)[0]).toBe(200_000);
      expect(gil.holder()).toBeNull();
      const stats = gil.stats();
      expect(stats.takes).toBe(200_000);
      // The run really contended (otherwise it proves nothing about exclusion).
      expect(stats.contendedTakes).toBeGreaterThan(0);
      expect(stats.switches).toBeGreaterThan(3);
      console.log(policy, JSON.stringify(stats));
    },
    60_000,
  );
});
