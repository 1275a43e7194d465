import { describe, expect, it } from 'vitest';
import {
  Condition,
  currentThreadId,
  Event,
  InvalidHandleError,
  Mutex,
  OwnerDiedError,
  RLock,
  RuntimeError,
  Semaphore,
  TimeoutError,
  threadIdOfWorker,
  ValueError,
} from './index.js';
import { spawn, withWorkers } from './test-fixtures/harness.js';
import { BUFFER_BYTES, OFF } from './test-fixtures/prim-worker.js';

function sharedBuffer(): SharedArrayBuffer {
  const b = new SharedArrayBuffer(BUFFER_BYTES);
  const m = Mutex.init(b, OFF.mutex);
  RLock.init(b, OFF.rlock);
  Condition.init(m, b, OFF.cond);
  Semaphore.init(b, OFF.semA, 0);
  Semaphore.init(b, OFF.semB, 0);
  Event.init(b, OFF.evA);
  Event.init(b, OFF.evB);
  return b;
}

function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('Mutex in one thread', () => {
  it('locks, reports the owner, unlocks', () => {
    const m = Mutex.create();
    expect(m.lock()).toBe(true);
    expect(m.owner()).toBe(currentThreadId());
    expect(m.isOwned()).toBe(true);
    expect(m.tryLock()).toBe(false);
    m.unlock();
    expect(m.isLocked()).toBe(false);
    expect(m.tryLock()).toBe(true);
    m.unlock();
  });

  it('unlock when not held: RuntimeError "release unlocked lock", state unchanged', () => {
    const m = Mutex.create();
    const e = errorOf(() => m.unlock());
    expect(e).toBeInstanceOf(RuntimeError);
    expect(e.code).toBe('ERR_RELEASE_UNLOCKED');
    expect(e.message).toMatch(/release unlocked lock/);
    expect(m.isLocked()).toBe(false);
  });

  it('relocking from the owning thread is a deadlock error, not a hang', () => {
    const m = Mutex.create();
    m.lock();
    expect(errorOf(() => m.lock()).code).toBe('ERR_DEADLOCK');
    expect(m.owner()).toBe(currentThreadId());
  });

  it('lock({timeoutMs}) returns false while someone else holds it', () => {
    const m = Mutex.create();
    new Int32Array(m.buffer)[1] = 12345; // owned by a (fake) other thread
    expect(m.lock({ timeoutMs: 5 })).toBe(false);
    expect(m.tryLock()).toBe(false);
    expect(m.owner()).toBe(12345);
    expect(() => m.hold({ timeoutMs: 5 })).toThrow(TimeoutError);
    const e = errorOf(() => m.unlock());
    expect(e.code).toBe('ERR_RELEASE_UNLOCKED');
    expect(m.owner()).toBe(12345);
  });

  it('Symbol.dispose and hold() release the lock', () => {
    const m = Mutex.create();
    {
      using _guard = m.hold();
      expect(m.isOwned()).toBe(true);
    }
    expect(m.isLocked()).toBe(false);
    m.lock();
    m[Symbol.dispose]();
    expect(m.isLocked()).toBe(false);
    m[Symbol.dispose](); // not held: no-op
  });

  it('lockAsync waits for an unlock without blocking the thread', async () => {
    const m = Mutex.create();
    m.lock();
    const p = m.lockAsync({ timeoutMs: 5_000 });
    setTimeout(() => m.unlock(), 5);
    expect(await p).toBe(true);
    expect(m.isOwned()).toBe(true);
    expect(await Mutex.create().lockAsync()).toBe(true);
  });

  it('rejects bad timeouts with a ValueError even when the lock is free', async () => {
    const m = Mutex.create();
    expect(() => m.lock({ timeoutMs: -1 })).toThrow(ValueError);
    expect(() => m.lock({ timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
    expect(m.isLocked()).toBe(false);
    await expect(m.lockAsync({ timeoutMs: -1 })).rejects.toThrow(ValueError);
    expect(() => Semaphore.create(1).acquire({ timeoutMs: -5 })).toThrow(ValueError);
    await expect(Semaphore.create(1).acquireAsync({ timeoutMs: -5 })).rejects.toThrow(ValueError);
    const e = Event.create();
    e.set();
    expect(() => e.wait({ timeoutMs: -1 })).toThrow(ValueError);
  });

  it('validates buffers, offsets and tags', () => {
    const b = new SharedArrayBuffer(32);
    expect(() => new Mutex(b, 0)).toThrow(InvalidHandleError);
    expect(() => new Mutex(b, 0)).toThrow(/invalid handle/);
    expect(() => Mutex.init(b, 2)).toThrow(ValueError);
    expect(() => Mutex.init(b, 24)).toThrow(/needs 16 bytes/);
    Semaphore.init(b, 0);
    expect(() => new Mutex(b, 0)).toThrow(/no Mutex/);
    expect(() => new Mutex(new ArrayBuffer(16) as unknown as SharedArrayBuffer)).toThrow(/SharedArrayBuffer/);
  });

  it('recover() frees a dead owner; the next lock sees ownerDied or throws OwnerDiedError', () => {
    const m = Mutex.create();
    const s = new Int32Array(m.buffer);
    s[1] = 777 | 0x40000000; // held by thread 777 with waiters
    expect(m.recover(778)).toBe(false);
    expect(m.recover(777)).toBe(true);
    expect(m.lock()).toBe(true);
    expect(m.ownerDied).toBe(true);
    m.unlock();
    m.lock();
    expect(m.ownerDied).toBe(false);
    m.unlock();
    const strict = new Mutex(m.buffer, 0, { throwOnOwnerDeath: true });
    s[1] = 777;
    strict.recover(777);
    expect(() => strict.lock()).toThrow(OwnerDiedError);
    expect(strict.isOwned()).toBe(true); // EOWNERDEAD: the caller holds the lock
    strict.unlock();
    expect(() => m.recover(currentThreadId())).toThrow(/alive/);
  });
});

describe('Mutex owner ids', () => {
  it('locks as an explicit ownerId (e.g. a GIL thread id) and validates it', () => {
    const m = Mutex.create({ ownerId: 7 });
    m.lock();
    expect(m.owner()).toBe(7);
    const other = new Mutex(m.buffer, 0, { ownerId: 8 });
    expect(other.tryLock()).toBe(false);
    expect(() => other.unlock()).toThrow(/release unlocked lock/);
    expect(other.recover(7)).toBe(true);
    expect(other.lock()).toBe(true);
    expect(other.ownerDied).toBe(true);
    expect(() => Mutex.create({ ownerId: 0 })).toThrow(/options.ownerId/);
    expect(() => Mutex.create({ ownerId: 2 ** 30 })).toThrow(ValueError);
  });
});

describe('RLock', () => {
  it('is reentrant and released after as many unlocks', () => {
    const r = RLock.create();
    r.lock();
    r.lock();
    expect(r.depth).toBe(2);
    r.unlock();
    expect(r.isLocked()).toBe(true);
    r.unlock();
    expect(r.isLocked()).toBe(false);
    expect(errorOf(() => r.unlock()).code).toBe('ERR_RELEASE_UNLOCKED');
  });
});

describe('Condition, Semaphore, Event in one thread', () => {
  it('Condition rejects a lock that is not a Mutex or RLock, and bad notify counts', () => {
    expect(() => Condition.create({} as Mutex)).toThrow(ValueError);
    const c = Condition.create();
    c.lock.lock();
    expect(() => c.notify(-1)).toThrow(ValueError);
    c.lock.unlock();
  });

  it('Condition.wait requires the lock and times out', () => {
    const c = Condition.create();
    expect(errorOf(() => c.wait()).message).toMatch(/un-acquired lock/);
    expect(errorOf(() => c.notify()).message).toMatch(/un-acquired lock/);
    c.lock.lock();
    expect(c.wait({ timeoutMs: 10 })).toBe(false);
    expect(c.lock.isOwned()).toBe(true);
    expect(c.waitFor(() => false, { timeoutMs: 10 })).toBe(false);
    expect(c.waitFor(() => true)).toBe(true);
    c.lock.unlock();
  });

  it('Condition over an RLock releases every level while waiting', async () => {
    const r = RLock.create();
    const c = Condition.create(r);
    r.lock();
    r.lock();
    const p = c.waitAsync({ timeoutMs: 5_000 });
    // While waiting, the RLock is fully released.
    expect(r.isLocked()).toBe(false);
    r.lock();
    c.notify();
    r.unlock();
    expect(await p).toBe(true);
    expect(r.depth).toBe(2);
  });

  it('Semaphore counts, times out, and a bounded one refuses extra releases', async () => {
    const s = Semaphore.create(2);
    expect(s.acquire()).toBe(true);
    expect(s.tryAcquire()).toBe(true);
    expect(s.tryAcquire()).toBe(false);
    expect(s.acquire({ timeoutMs: 5 })).toBe(false);
    const p = s.acquireAsync({ timeoutMs: 5_000 });
    s.release();
    expect(await p).toBe(true);
    s.release(2);
    expect(s.value).toBe(2);
    const bounded = Semaphore.create(1, { bounded: true });
    expect(() => bounded.release()).toThrow(/released too many times/);
    expect(bounded.value).toBe(1);
    expect(() => Semaphore.create(-1)).toThrow(ValueError);
  });

  it('Event sets, clears, times out', async () => {
    const e = Event.create();
    expect(e.isSet()).toBe(false);
    expect(e.wait({ timeoutMs: 5 })).toBe(false);
    const p = e.waitAsync({ timeoutMs: 5_000 });
    e.set();
    expect(await p).toBe(true);
    expect(e.wait()).toBe(true);
    e.clear();
    expect(e.isSet()).toBe(false);
    await expect(e.waitAsync({ timeoutMs: -1 })).rejects.toThrow(ValueError);
  });
});

describe('primitives across worker threads', () => {
  it.each(['mutex-counter', 'rlock-counter'])(
    '%s: 4 workers x 20,000 keep a non-atomic counter exact',
    async (scenario) => {
      const b = sharedBuffer();
      const ws = Array.from({ length: 4 }, () =>
        spawn('prim-worker', { scenario, buffer: b, iterations: 20_000 }),
      );
      await withWorkers(ws, () => Promise.all(ws.map((w) => w.next('done', 30_000))));
      expect(new Int32Array(b, OFF.data, 16)[0]).toBe(80_000);
    },
    40_000,
  );

  it('unlock from a thread that does not own the Mutex fails there and leaves it locked', async () => {
    const b = sharedBuffer();
    const m = new Mutex(b, OFF.mutex);
    m.lock();
    const w = spawn('prim-worker', { scenario: 'unlock-foreign', buffer: b, iterations: 0 });
    const r = await withWorkers([w], () => w.next('done'));
    expect(r.code).toBe('ERR_RELEASE_UNLOCKED');
    expect(r.owner).toBe(currentThreadId());
    m.unlock();
  });

  it('a worker that dies holding a Mutex is recovered; the waiter gets it and sees ownerDied', async () => {
    const b = sharedBuffer();
    const dying = spawn('prim-worker', { scenario: 'mutex-die', buffer: b, iterations: 0 });
    // Node resets worker.threadId to -1 after exit: take the id while it runs.
    const idFromParent = threadIdOfWorker(dying.worker);
    await withWorkers([dying], async () => {
      const { threadId } = await dying.next('ready');
      await dying.next('holding').catch(() => undefined);
      const waiter = spawn('prim-worker', { scenario: 'mutex-lock-after-death', buffer: b, iterations: 0 });
      await withWorkers([waiter], async () => {
        await waiter.next('ready');
        expect(await dying.exited).toBe(4);
        const m = new Mutex(b, OFF.mutex);
        expect(idFromParent).toBe(threadId);
        expect(m.owner()).toBe(threadId);
        expect(m.recover(threadId as number)).toBe(true);
        const r = await waiter.next('done');
        expect(r).toMatchObject({ ok: true, ownerDied: true });
      });
    });
  }, 30_000);

  it('Condition ping-pong: 2 x 3,000 strict alternations, no lost wake-ups', async () => {
    const b = sharedBuffer();
    const ws = [0, 1].map((role) =>
      spawn('prim-worker', { scenario: 'cond-pingpong', buffer: b, iterations: 3_000, role }),
    );
    const rs = await withWorkers(ws, () => Promise.all(ws.map((w) => w.next('done', 40_000))));
    expect(rs.map((r) => r.lost)).toEqual([0, 0]);
    expect(new Int32Array(b, OFF.data, 16)[2]).toBe(6_000);
  }, 45_000);

  it('Condition bounded queue: 2 producers, 2 consumers, every item delivered', async () => {
    const b = sharedBuffer();
    const ws = [
      ...[0, 1].map(() => spawn('prim-worker', { scenario: 'cond-producer', buffer: b, iterations: 3_000 })),
      ...[0, 1].map(() => spawn('prim-worker', { scenario: 'cond-consumer', buffer: b, iterations: 3_000 })),
    ];
    const rs = await withWorkers(ws, () => Promise.all(ws.map((w) => w.next('done', 40_000))));
    expect(rs.map((r) => r.timeouts)).toEqual([0, 0, 0, 0]);
    const words = new Int32Array(b, OFF.data, 16);
    expect(words[4]).toBe(6_000);
    expect(words[3]).toBe(0);
  }, 45_000);

  it('Semaphore(2) never admits more than 2 of 4 workers', async () => {
    const b = sharedBuffer();
    new Semaphore(b, OFF.semA).release(2);
    const ws = Array.from({ length: 4 }, () =>
      spawn('prim-worker', { scenario: 'sem-limit', buffer: b, iterations: 3_000 }),
    );
    await withWorkers(ws, () => Promise.all(ws.map((w) => w.next('done', 40_000))));
    const words = new Int32Array(b, OFF.data, 16);
    expect(words[6]).toBeLessThanOrEqual(2);
    expect(words[6]).toBeGreaterThanOrEqual(1);
    expect(new Semaphore(b, OFF.semA).value).toBe(2);
  }, 45_000);

  it('Semaphore and Event ping-pong: 2 x 3,000 hand-offs each, no lost wake-ups', async () => {
    const b = sharedBuffer();
    new Semaphore(b, OFF.semA).release();
    const ws = [
      ...[0, 1].map((role) =>
        spawn('prim-worker', { scenario: 'sem-pingpong', buffer: b, iterations: 3_000, role }),
      ),
      ...[0, 1].map((role) =>
        spawn('prim-worker', { scenario: 'event-pingpong', buffer: b, iterations: 3_000, role }),
      ),
    ];
    const rs = await withWorkers(ws, () => Promise.all(ws.map((w) => w.next('done', 40_000))));
    expect(rs.map((r) => r.lost)).toEqual([0, 0, 0, 0]);
  }, 45_000);

  it('Event.wait in a worker returns true when set, false on timeout', async () => {
    const b = sharedBuffer();
    const slow = spawn('prim-worker', { scenario: 'event-wait', buffer: b, iterations: 0, timeoutMs: 20 });
    const r1 = await withWorkers([slow], () => slow.next('done'));
    expect(r1.ok).toBe(false);
    const w = spawn('prim-worker', { scenario: 'event-wait', buffer: b, iterations: 0 });
    const r2 = await withWorkers([w], async () => {
      await w.next('ready');
      new Event(b, OFF.evA).set();
      return w.next('done');
    });
    expect(r2.ok).toBe(true);
  });
});
