/**
 * Virtual threading primitives for the simulator: `Lock`/`RLock`, `Event` and `Condition`, as the
 * vm's host interface needs them (`newLock`, `tryAcquire`, `release`, ... and the `lock`, `event`,
 * `condition` block requests). Waiting threads are woken through {@link SimEngine.complete}, so
 * they pay the OS wake-up latency and retake the GIL like any blocked thread.
 */
import type { SimEngine, SimThread } from './engine.js';
import type { BlockRequest } from './unit.js';

interface LockState {
  reentrant: boolean;
  owner: number;
  depth: number;
  held: boolean;
  /** Blocked acquirers in arrival order, with the block epoch that identifies their wait. */
  waiters: { t: SimThread; epoch: number }[];
}

interface EventState {
  set: boolean;
  waiters: { t: SimThread; epoch: number }[];
}

interface ConditionState {
  lockId: number;
  waiters: { t: SimThread; epoch: number }[];
}

/** Python's error for releasing a lock that is not held (raised as RuntimeError by the vm). */
export class SimSync {
  #engine: SimEngine;
  #locks: LockState[] = [];
  #events: EventState[] = [];
  #conds: ConditionState[] = [];

  constructor(engine: SimEngine) {
    this.#engine = engine;
    engine.blockHandler = (t, req) => this.#block(t, req);
  }

  newLock(reentrant: boolean): number {
    this.#locks.push({ reentrant, owner: 0, depth: 0, held: false, waiters: [] });
    return this.#locks.length - 1;
  }

  tryAcquire(thread: { id: number }, lockId: number): boolean {
    const l = this.#lock(lockId);
    if (!l.held) {
      l.held = true;
      l.owner = thread.id;
      l.depth = 1;
      return true;
    }
    if (l.reentrant && l.owner === thread.id) {
      l.depth++;
      return true;
    }
    return false;
  }

  /** Releases; a blocked acquirer (first come) is granted the lock and woken. */
  release(thread: SimThread | undefined, lockId: number, at: number): void {
    const l = this.#lock(lockId);
    if (!l.held) throw new Error(l.reentrant ? 'cannot release un-acquired lock' : 'release unlocked lock');
    if (l.reentrant) {
      if (thread && l.owner !== thread.id) throw new Error('cannot release un-acquired lock');
      if (--l.depth > 0) return;
    }
    l.held = false;
    this.#grant(l, lockId, at);
  }

  isLocked(lockId: number): boolean {
    return this.#lock(lockId).held;
  }

  newEvent(): number {
    this.#events.push({ set: false, waiters: [] });
    return this.#events.length - 1;
  }

  setEvent(eventId: number, value: boolean, at: number): void {
    const e = this.#event(eventId);
    e.set = value;
    if (!value) return;
    const ws = e.waiters;
    e.waiters = [];
    for (const w of ws) this.#engine.complete(w.t, true, at, w.epoch);
  }

  isEventSet(eventId: number): boolean {
    return this.#event(eventId).set;
  }

  newCondition(lockId: number): number {
    this.#lock(lockId);
    this.#conds.push({ lockId, waiters: [] });
    return this.#conds.length - 1;
  }

  /** Wakes `n` waiters (all for n < 0). A notified waiter must retake the condition's lock first. */
  notify(conditionId: number, n: number, at: number): void {
    const c = this.#cond(conditionId);
    const count = n < 0 ? c.waiters.length : Math.min(n, c.waiters.length);
    const woken = c.waiters.splice(0, count);
    for (const w of woken) this.#queueForLock(c.lockId, w, at);
  }

  #block(t: SimThread, req: BlockRequest): boolean {
    const epoch = t.blockEpoch;
    const e = this.#engine;
    switch (req.kind) {
      case 'lock': {
        const l = this.#lock(req.lockId);
        e.recorder.set(t.id, 'blocked', e.now, `lock ${req.lockId}`);
        if (!l.held) {
          // Released between the failed tryAcquire and now.
          l.held = true;
          l.owner = t.id;
          l.depth = 1;
          e.complete(t, true, e.now, epoch);
          return true;
        }
        const w = { t, epoch };
        l.waiters.push(w);
        if (req.timeout >= 0) {
          e.schedule(e.now + req.timeout * 1e9, () => {
            if (e.complete(t, false, e.now, epoch)) l.waiters = l.waiters.filter((x) => x !== w);
          });
        }
        return true;
      }
      case 'event': {
        const ev = this.#event(req.eventId);
        e.recorder.set(t.id, 'blocked', e.now, `event ${req.eventId}`);
        if (ev.set) {
          e.complete(t, true, e.now, epoch);
          return true;
        }
        const w = { t, epoch };
        ev.waiters.push(w);
        if (req.timeout >= 0) {
          e.schedule(e.now + req.timeout * 1e9, () => {
            if (e.complete(t, false, e.now, epoch)) ev.waiters = ev.waiters.filter((x) => x !== w);
          });
        }
        return true;
      }
      case 'condition': {
        const c = this.#cond(req.conditionId);
        e.recorder.set(t.id, 'blocked', e.now, `condition ${req.conditionId}`);
        // Condition.wait releases the underlying lock (fully, for an RLock) while waiting.
        const l = this.#lock(c.lockId);
        const depth = l.depth;
        l.depth = 1;
        this.release(undefined, c.lockId, e.now);
        const w = { t, epoch, depth };
        c.waiters.push(w);
        if (req.timeout >= 0) {
          e.schedule(e.now + req.timeout * 1e9, () => {
            const i = c.waiters.indexOf(w);
            if (i < 0) return;
            c.waiters.splice(i, 1);
            this.#queueForLock(c.lockId, { t, epoch, depth, result: false }, e.now);
          });
        }
        return true;
      }
      default:
        return false;
    }
  }

  /** A notified (or timed-out) condition waiter retakes the lock before its wait returns. */
  #queueForLock(
    lockId: number,
    w: { t: SimThread; epoch: number; depth?: number; result?: boolean },
    at: number,
  ) {
    const l = this.#lock(lockId);
    const result = w.result ?? true;
    if (!l.held) {
      l.held = true;
      l.owner = w.t.id;
      l.depth = w.depth ?? 1;
      this.#engine.complete(w.t, result, at, w.epoch);
      return;
    }
    l.waiters.push({ t: w.t, epoch: w.epoch, depth: w.depth, result } as LockState['waiters'][number]);
  }

  #grant(l: LockState, _lockId: number, at: number): void {
    while (l.waiters.length > 0) {
      const w = l.waiters.shift() as LockState['waiters'][number] & { depth?: number; result?: boolean };
      if (w.t.done || w.t.blockEpoch !== w.epoch) continue;
      l.held = true;
      l.owner = w.t.id;
      l.depth = w.depth ?? 1;
      this.#engine.complete(w.t, w.result ?? true, at, w.epoch);
      return;
    }
  }

  #lock(id: number): LockState {
    const l = this.#locks[id];
    if (!l) throw new RangeError(`unknown lock id ${id}`);
    return l;
  }

  #event(id: number): EventState {
    const e = this.#events[id];
    if (!e) throw new RangeError(`unknown event id ${id}`);
    return e;
  }

  #cond(id: number): ConditionState {
    const c = this.#conds[id];
    if (!c) throw new RangeError(`unknown condition id ${id}`);
    return c;
  }
}
