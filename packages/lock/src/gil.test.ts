import { describe, expect, it } from 'vitest';
import { GIL_BYTES, Gil, InvalidHandleError, RuntimeError, ValueError } from './index.js';
import { GIL_RELEASE_UNIT, GIL_WAITER_UNIT, STATE, THREAD_STATE, TS_WAITING } from './layout.js';
import { legacy, type PolicyName, policies } from './policy.js';
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
    // Held by someone else (thread 200, with waiters): still refused, word untouched.
    const words = new Int32Array(gil.buffer);
    words[STATE] = 200 | 0x40000000;
    expect(() => gil.drop()).toThrow(/release unlocked lock/);
    expect(() => gil.yield()).toThrow(/release unlocked lock/);
    expect(words[STATE]).toBe(200 | 0x40000000);
    expect(gil.holder()).toBe(200);
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

  it('take rejects a bad timeout with a ValueError and does not take the GIL', async () => {
    const gil = Gil.create();
    expect(() => gil.take({ timeoutMs: -1 })).toThrow(ValueError);
    await expect(gil.takeAsync({ timeoutMs: Number.NaN })).rejects.toThrow(/timeoutMs/);
    expect(gil.holder()).toBeNull();
  });

  it('take({timeoutMs}) returns false when the lock stays held', () => {
    const gil = Gil.create();
    gil.take();
    // Another handle in the same thread shares the id: use a fresh GIL "held" by a fake id.
    const other = Gil.create({ switchIntervalMs: 1 });
    new Int32Array(other.buffer)[STATE] = 200; // held by thread 200 (nobody)
    expect(other.take({ timeoutMs: 5 })).toBe(false);
    expect(other.holder()).toBe(200);
    expect(other.stats().dropRequests).toBeGreaterThanOrEqual(1);
    expect(other.recover(200)).toBe(true);
    expect(other.take({ timeoutMs: 5 })).toBe(true);
    expect(other.stats().ownerDeaths).toBe(1);
  });

  it('a newcomer takes a free GIL while waiters are counted; its release advances the sequence', () => {
    const gil = Gil.create();
    const words = new Int32Array(gil.buffer);
    // Free, with one waiter counted in the lock word (a thread asleep in take, as layout.ts
    // STATE describes): CPython's take_gil takes an unlocked GIL at once, waiters or not.
    words[STATE] = GIL_WAITER_UNIT;
    expect(gil.take({ timeoutMs: 0 })).toBe(true);
    expect(gil.holder()).toBe(gil.threadId);
    expect(gil.waiters()).toBe(1);
    expect(gil.stats().contendedTakes).toBe(0);
    // With a waiter counted the release must wake it: it advances the release sequence (the
    // value a sleeper compares) and leaves the count alone.
    gil.drop();
    expect(gil.holder()).toBeNull();
    expect(words[STATE]).toBe(GIL_WAITER_UNIT + GIL_RELEASE_UNIT);
    expect(gil.waiters()).toBe(1);
    // Nobody counted any more: take and drop leave the word as they found it.
    words[STATE] = GIL_RELEASE_UNIT;
    gil.take();
    gil.drop();
    expect(words[STATE]).toBe(GIL_RELEASE_UNIT);
  });

  it('recover withdraws a dead waiter from the count, and never counts a dead holder', () => {
    const gil = Gil.create();
    const words = new Int32Array(gil.buffer);
    // Thread 200 died asleep in take: counted once, marked waiting.
    words[STATE] = GIL_WAITER_UNIT;
    words[THREAD_STATE + 200] = TS_WAITING;
    expect(gil.waiters()).toBe(1);
    expect(gil.recover(200)).toBe(false);
    expect(gil.waiters()).toBe(0);
    expect(gil.recover(200)).toBe(false); // twice: still 0, the sequence bits untouched
    expect(words[STATE]).toBe(0);
    // Thread 201 died inside yield() after marking itself waiting, before the release that would
    // have counted it: it still holds the GIL and is not counted.
    words[STATE] = 201;
    words[THREAD_STATE + 201] = TS_WAITING;
    expect(gil.recover(201)).toBe(true);
    expect(gil.holder()).toBeNull();
    expect(gil.waiters()).toBe(0);
    expect(gil.stats().ownerDeaths).toBe(1);
    expect(gil.take({ timeoutMs: 0 })).toBe(true);
  });

  it('legacy dropRequested() turns true every `ticks` checks; the ticks travel with the buffer', () => {
    const other = Gil.from(Gil.create({ policy: legacy({ ticks: 7 }) }).buffer);
    expect(other.policy).toMatchObject({ name: 'legacy', ticks: 7 });
    const gil = Gil.create({ policy: policies.legacy });
    gil.take();
    let trues = 0;
    for (let i = 0; i < 1000; i++) if (gil.dropRequested()) trues++;
    expect(trues).toBe(10);
  });

  it('dropRequestWord is the word dropRequested() reads, and absent under legacy', () => {
    const gil = Gil.create();
    gil.take();
    const word = gil.dropRequestWord!;
    expect(word).toHaveLength(1);
    expect(Atomics.load(word, 0)).toBe(0);
    expect(gil.dropRequested()).toBe(false);
    gil.requestDrop();
    expect(Atomics.load(word, 0)).not.toBe(0);
    expect(gil.dropRequested()).toBe(true);
    // Another handle on the same buffer sees the same word.
    expect(Atomics.load(Gil.from(gil.buffer).dropRequestWord!, 0)).not.toBe(0);
    gil.drop();
    expect(Gil.create({ policy: policies.legacy }).dropRequestWord).toBeUndefined();
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
    'waitTimeMs counts a contended wait, within the time the test saw pass (%s)',
    async (policy) => {
      const gil = Gil.create({ policy });
      const shared = new SharedArrayBuffer(64);
      const t0 = performance.now();
      gil.take();
      const w = spawn('gil-worker', { scenario: 'log-take', buffer: gil.buffer, shared, iterations: 0 });
      await withWorkers([w], async () => {
        await w.next('ready');
        while (gil.waiters() === 0) await new Promise((r) => setTimeout(r, 1));
        // Hold on long enough that the waiter surely started its clock before our release.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        gil.drop();
        await w.next('done');
      });
      const elapsed = performance.now() - t0;
      const stats = gil.stats();
      expect(stats.contendedTakes).toBe(1);
      expect(stats.waitTimeMs).toBeGreaterThan(0);
      // Stamps of the two threads share one time line (a few microseconds of skew at most).
      expect(stats.waitTimeMs).toBeLessThan(elapsed + 5);
    },
    30_000,
  );

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

interface CpuRun {
  stats: ReturnType<Gil['stats']>;
  history: number[];
  yields: number[];
  otherProgressAtFirstDone: number;
}

async function cpuRun(policy: PolicyName, iterations: number, split = false): Promise<CpuRun> {
  const gil = Gil.create({ policy, switchIntervalMs: 1 });
  const logLen = 20_000;
  // Words 0..logLen-1: history log (word 0 = length); then one progress word per worker.
  const shared = new SharedArrayBuffer((logLen + 2) * 4);
  const start = new SharedArrayBuffer(4);
  const ws = [0, 1].map((k) =>
    spawn('gil-worker', {
      scenario: 'cpu',
      buffer: gil.buffer,
      shared,
      iterations,
      progressIndex: logLen + k,
      split,
      start,
      parties: 2,
    }),
  );
  return withWorkers(ws, async () => {
    const view = new Int32Array(shared);
    let otherProgressAtFirstDone = -1;
    const done = ws.map((w, k) =>
      w.next('done', 50_000).then((m) => {
        if (otherProgressAtFirstDone < 0) otherProgressAtFirstDone = Atomics.load(view, logLen + (1 - k));
        return m;
      }),
    );
    const results = await Promise.all(done);
    const n = view[0]!;
    return {
      stats: gil.stats(),
      history: Array.from(view.subarray(1, n + 1)),
      yields: results.map((m) => m.yields as number),
      otherProgressAtFirstDone,
    };
  });
}

describe('Gil policies with CPU-bound workers', () => {
  it('cpython forces switches and holds forced switching; legacy hands off far less', async () => {
    const iterations = 150_000;
    const cp = await cpuRun('cpython', iterations);
    const lg = await cpuRun('legacy', iterations);
    console.log('cpython', JSON.stringify(cp.stats), 'other progress', cp.otherProgressAtFirstDone);
    console.log('legacy', JSON.stringify(lg.stats), 'other progress', lg.otherProgressAtFirstDone);

    // cpython: both workers make progress, interleaved, with many drop-request hand-offs.
    const cpSwitchesInHistory = cp.history.filter(
      (v, i) => i > 0 && Math.abs(v) !== Math.abs(cp.history[i - 1]!),
    ).length;
    expect(cp.stats.dropRequests).toBeGreaterThanOrEqual(10);
    expect(cp.stats.forcedSwitches).toBeGreaterThanOrEqual(10);
    expect(cpSwitchesInHistory).toBeGreaterThanOrEqual(10);
    expect(cp.yields[0]).toBeGreaterThan(0);
    expect(cp.yields[1]).toBeGreaterThan(0);
    // When the first worker finished, the other had made real progress too (interleaving).
    expect(cp.otherProgressAtFirstDone).toBeGreaterThan(iterations / 10);

    // Forced switching: every take that followed an honoured drop request (negative entry) came
    // after another thread had held the GIL.
    const afterRequest = cp.history.map((v, i) => [v, i] as const).filter(([v]) => v < 0);
    expect(afterRequest.length).toBeGreaterThanOrEqual(5);
    for (const [v, i] of afterRequest) {
      expect(Math.abs(cp.history[i - 1]!)).not.toBe(-v);
    }

    // legacy: nobody requests a drop; the holder releases every 100 checks and usually wins the
    // lock straight back, so only a small fraction of its releases hand the GIL over, while
    // under cpython (almost) every release is a hand-off.
    expect(lg.stats.dropRequests).toBe(0);
    const lgReleases = lg.yields[0]! + lg.yields[1]!;
    const cpReleases = cp.yields[0]! + cp.yields[1]!;
    expect(lgReleases).toBeGreaterThan(cpReleases);
    const lgHandoffsPerRelease = lg.stats.switches / lgReleases;
    const cpHandoffsPerRelease = cp.stats.switches / cpReleases;
    expect(cpHandoffsPerRelease).toBeGreaterThan(0.5);
    expect(lgHandoffsPerRelease * 4).toBeLessThan(cpHandoffsPerRelease);
  }, 60_000);
});

describe('Gil forced switching through drop() + take()', () => {
  it('a thread that drops on request does not retake before the other took the GIL', async () => {
    const run = await cpuRun('cpython', 60_000, true);
    const afterRequest = run.history.map((v, i) => [v, i] as const).filter(([v]) => v < 0);
    expect(afterRequest.length).toBeGreaterThanOrEqual(5);
    for (const [v, i] of afterRequest) expect(Math.abs(run.history[i - 1]!)).not.toBe(-v);
    expect(run.stats.forcedSwitches).toBeGreaterThanOrEqual(5);
  }, 60_000);
});

describe('Gil owner death', () => {
  it.each(policyNames)(
    'a worker that exits holding the GIL is recovered; the others finish (%s)',
    async (policy) => {
      const gil = Gil.create({ policy, switchIntervalMs: 1 });
      const shared = new SharedArrayBuffer(4);
      const dying = spawn('gil-worker', {
        scenario: 'die-holding',
        buffer: gil.buffer,
        shared,
        iterations: 0,
      });
      const waiters: ReturnType<typeof spawn>[] = [];
      await withWorkers([dying], async () => {
        const { gilId } = await dying.next('ready');
        await dying.next('holding').catch(() => undefined);
        for (let k = 0; k < 2; k++) {
          waiters.push(
            spawn('gil-worker', { scenario: 'wait-take', buffer: gil.buffer, shared, iterations: 20_000 }),
          );
        }
        await withWorkers(waiters, async () => {
          await Promise.all(waiters.map((w) => w.next('ready')));
          expect(await dying.exited).toBe(3);
          expect(gil.holder()).toBe(gilId);
          expect(gil.recover(gilId as number)).toBe(true);
          const results = await Promise.all(waiters.map((w) => w.next('done')));
          for (const r of results) expect(r.ok).toBe(true);
        });
      });
      expect(gil.stats().ownerDeaths).toBe(1);
      expect(gil.holder()).toBeNull();
      expect(gil.recover(200)).toBe(false);
    },
    30_000,
  );

  it('a waiter that dies is withdrawn, so a forced-switching drop does not wait for it forever', async () => {
    const gil = Gil.create({ switchIntervalMs: 1 });
    gil.take();
    const shared = new SharedArrayBuffer(4);
    const w = spawn('gil-worker', { scenario: 'wait-take', buffer: gil.buffer, shared, iterations: 60_000 });
    await withWorkers([w], async () => {
      const { gilId } = await w.next('ready');
      // Wait until it is registered and has asked us to drop.
      for (let i = 0; i < 2000 && !gil.dropRequested(); i++) await new Promise((r) => setTimeout(r, 2));
      expect(gil.waiters()).toBe(1);
      expect(gil.dropRequested()).toBe(true);
      await w.worker.terminate();
      expect(gil.recover(gilId as number)).toBe(false);
      expect(gil.waiters()).toBe(0);
      gil.drop(); // would wait for a switch forever if the dead waiter still counted
      expect(gil.holder()).toBeNull();
    });
  }, 30_000);
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 5_000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('Gil hand-off order', () => {
  it('fifo hands the GIL to waiters in arrival order', async () => {
    const gil = Gil.create({ policy: 'fifo' });
    gil.take();
    const shared = new SharedArrayBuffer(64);
    const ws: ReturnType<typeof spawn>[] = [];
    const ids: number[] = [];
    await withWorkers(ws, async () => {
      for (let k = 0; k < 3; k++) {
        const w = spawn('gil-worker', { scenario: 'log-take', buffer: gil.buffer, shared, iterations: 0 });
        ws.push(w);
        ids.push((await w.next('ready')).gilId as number);
        await until(() => gil.waiters() === k + 1, `${k + 1} threads queue`);
      }
      gil.drop();
      await Promise.all(ws.map((w) => w.next('done')));
    });
    const log = new Int32Array(shared);
    expect(Array.from(log.subarray(1, log[0]! + 1))).toEqual(ids);
    expect(gil.stats().switches).toBe(4);
  }, 30_000);

  it('fifo: a queued waiter that dies is withdrawn by recover, so the GIL skips it', async () => {
    const gil = Gil.create({ policy: 'fifo' });
    gil.take();
    const shared = new SharedArrayBuffer(64);
    const dead = spawn('gil-worker', { scenario: 'log-take', buffer: gil.buffer, shared, iterations: 0 });
    const ws = [dead];
    await withWorkers(ws, async () => {
      const deadId = (await dead.next('ready')).gilId as number;
      await until(() => gil.waiters() === 1, 'the first worker queues');
      const alive = spawn('gil-worker', { scenario: 'log-take', buffer: gil.buffer, shared, iterations: 0 });
      ws.push(alive);
      const aliveId = (await alive.next('ready')).gilId as number;
      await until(() => gil.waiters() === 2, 'the second worker queues');
      await dead.worker.terminate();
      expect(gil.recover(deadId)).toBe(false); // it did not hold the GIL
      expect(gil.waiters()).toBe(1);
      gil.drop();
      await alive.next('done');
      expect(Array.from(new Int32Array(shared).subarray(0, 2))).toEqual([1, aliveId]);
    });
    expect(gil.holder()).toBeNull();
  }, 30_000);

  it('a worker whose only pending work is takeAsync stays alive until it gets the GIL', async () => {
    const gil = Gil.create();
    gil.take();
    const w = spawn('gil-worker', {
      scenario: 'async-take',
      buffer: gil.buffer,
      shared: new SharedArrayBuffer(8),
      iterations: 0,
    });
    await withWorkers([w], async () => {
      const { gilId } = await w.next('ready');
      while (gil.waiters() === 0) await new Promise((r) => setTimeout(r, 1));
      // Long enough for a worker with an empty event loop to have exited (code 13, before the
      // fix), which would leave it counted as a waiter forever.
      await new Promise((r) => setTimeout(r, 100));
      gil.drop();
      expect(await w.next('done')).toMatchObject({ ok: true, holder: gilId });
      expect(await w.exited).toBe(0);
      expect(gil.waiters()).toBe(0);
    });
  }, 30_000);

  it('takeAsync waits for a worker to drop without blocking the event loop', async () => {
    const gil = Gil.create({ switchIntervalMs: 1 });
    const shared = new SharedArrayBuffer(64);
    const w = spawn('gil-worker', { scenario: 'die-holding', buffer: gil.buffer, shared, iterations: 0 });
    await withWorkers([w], async () => {
      const { gilId } = await w.next('ready');
      await w.next('holding').catch(() => undefined);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const taking = gil.takeAsync({ timeoutMs: 20_000 });
      await w.exited;
      await new Promise((r) => setTimeout(r, 20));
      expect(gil.holder()).toBe(gilId);
      gil.recover(gilId as number);
      expect(await taking).toBe(true);
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(0); // the event loop ran while we waited
      expect(gil.isHeld()).toBe(true);
      expect(await Gil.create().takeAsync({ timeoutMs: 0 })).toBe(true);
    });
  }, 30_000);
});
