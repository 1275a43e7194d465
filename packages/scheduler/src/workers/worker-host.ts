/**
 * The vm's Host inside a WorkerRuntime worker: blocking calls really block, with the GIL released
 * around them (CPython's Py_BEGIN/END_ALLOW_THREADS); Lock/RLock/Event/Condition are @gilkit/lock
 * primitives in a shared buffer; the clock is the run's common clock; output goes to the shared
 * output buffer in the order it is written (under the GIL).
 *
 * Shared objects: under the GIL policies and `free-threaded`, every thread's interpreter lives in
 * ONE shared @gilkit/heap and adopts the same globals dict, so threads share every object as
 * CPython threads do (nothing is copied at GIL hand-offs). `Thread(target=f, args=...)` hands the
 * new thread the function object and an args tuple by reference. Threading objects are heap
 * objects whose native id names a primitive in the shared primitives buffer: a worker attaches to
 * an id it has not seen on first use (the LOCK_KIND / EVENT_MADE / CONDITION_LOCK control words
 * say what lives there). Under `per-interpreter` and `processes` each thread has its own heap (PEP
 * 684 interpreters and processes share no objects): a thread gets the program's functions from a
 * prelude (prelude.ts) and its target by global name with plain-data arguments.
 */
import { type Heap, T_OBJECT } from '@gilkit/heap';
import { Condition, Event, type Gil, Mutex, RLock } from '@gilkit/lock';
import {
  type BlockRequest,
  type Host,
  type HostThreadInfo,
  type Interpreter,
  invalidateGlobalCaches,
  type StartThreadRequest,
  toJS,
  type VmThreadLike,
} from '@gilkit/vm';
import type { TraceState } from '../trace.js';
import {
  CONDITION_LOCK,
  DONE_CRASHED,
  EVENT_MADE,
  GIL_ID,
  LAST_HOLDER,
  LOCK_KIND,
  LOCK_MUTEX,
  LOCK_RLOCK,
  MAX_CONDITIONS,
  MAX_EVENTS,
  MAX_LOCKS,
  MAX_THREADS,
  NEXT_CONDITION,
  NEXT_EVENT,
  NEXT_LOCK,
  NEXT_THREAD,
  OUTPUT_USED,
  STDERR_USED,
  STREAM_BYTES,
  THREAD_OF_GIL_ID,
  THREAD_STATE,
  WAIT_SINCE,
} from './layout.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { type DETAILS, detailIndex, type TraceRing } from './ring.js';
import { WorldStopper } from './stop-the-world.js';

const LOCKS_OFFSET = 0;
const EVENTS_OFFSET = MAX_LOCKS * Mutex.BYTES;
const CONDITIONS_OFFSET = EVENTS_OFFSET + MAX_EVENTS * Event.BYTES;
/** Bytes of the primitives buffer. */
export const PRIMITIVES_BYTES = CONDITIONS_OFFSET + MAX_CONDITIONS * Condition.BYTES;

/** The vm's object kind of handles (rt.ts K_HANDLE): JS objects in one worker's table. */
const K_HANDLE = 9;

/** An Error the vm should raise as the given Python exception type (see requests-vm.md). */
function pyError(pyType: string, message: string): Error {
  return Object.assign(new Error(message), { pyType });
}

/** Not plain data (functions, modules, locks...): cannot be a thread argument without a shared heap. */
const NOT_PLAIN = Symbol('not plain');

function plain(v: unknown): unknown {
  if (
    v === null ||
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    typeof v === 'string' ||
    typeof v === 'boolean'
  ) {
    return v;
  }
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) {
    for (const x of v) if (plain(x) === NOT_PLAIN) return NOT_PLAIN;
    return v;
  }
  if (v instanceof Map) {
    for (const [k, x] of v) if (plain(k) === NOT_PLAIN || plain(x) === NOT_PLAIN) return NOT_PLAIN;
    return v;
  }
  if (v instanceof Set) {
    for (const x of v) if (plain(x) === NOT_PLAIN) return NOT_PLAIN;
    return v;
  }
  return NOT_PLAIN;
}

export class WorkerHost implements Host {
  interp: Interpreter | undefined;
  /**
   * True while a per-interpreter/processes thread's prelude runs: primitives created there map to
   * the ids the main thread created, in creation order.
   */
  prelude = false;
  readonly #init: WorkerInit;
  readonly #ctrl: Int32Array;
  readonly #gil: Gil | undefined;
  /** The shared heap (absent under per-interpreter/processes: each thread has its own). */
  readonly #heap: Heap | undefined;
  /** Shared heap without a GIL (free-threaded): attach/detach for stop-the-world collections. */
  readonly stopper: WorldStopper | undefined;
  readonly #ring: TraceRing;
  readonly #post: (m: WorkerMessage) => void;
  readonly #crash: () => never;
  readonly #out: Uint8Array;
  readonly #encoder = new TextEncoder();
  readonly #sleepCell = new Int32Array(new SharedArrayBuffer(4));
  /** This worker's handles on shared primitives, attached on first use. */
  #locks = new Map<number, Mutex | RLock>();
  #events = new Map<number, Event>();
  #conditions = new Map<number, Condition>();
  #preludeLocks = 0;
  #preludeEvents = 0;
  #preludeConditions = 0;
  #instructions = 0;
  #pendingStarts: Extract<WorkerMessage, { type: 'start' }>[] = [];
  /**
   * The eval loop's breaker word: the GIL's drop request, or without a GIL the stop-the-world
   * request; `onBreaker` is only called while it is set. Absent under `legacy` (ticks count).
   * Pending thread starts do not wait for it: they go out when `run()` returns or the GIL drops.
   */
  readonly breakerWord: Int32Array | undefined;

  constructor(
    init: WorkerInit,
    gil: Gil | undefined,
    heap: Heap | undefined,
    ring: TraceRing,
    post: (m: WorkerMessage) => void,
    crash: () => never,
  ) {
    this.#init = init;
    this.#ctrl = new Int32Array(init.control);
    this.#gil = gil;
    this.#heap = heap;
    this.stopper = heap && !gil ? new WorldStopper(this.#ctrl, init.id) : undefined;
    this.breakerWord = gil ? gil.dropRequestWord : this.stopper?.requestWord;
    this.#ring = ring;
    this.#post = post;
    this.#crash = crash;
    this.#out = new Uint8Array(init.output);
  }

  get id(): number {
    return this.#init.id;
  }

  // ---- GIL ------------------------------------------------------------------------------------

  state(s: TraceState, detail: (typeof DETAILS)[number] = ''): void {
    this.#ring.state(this.#init.id, s, detailIndex(detail));
  }

  /** take_gil plus bookkeeping: hand-off event, `running` state. */
  takeGil(): void {
    const gil = this.#gil;
    const me = this.#init.id;
    if (gil) {
      const ctrl = this.#ctrl;
      // Waiting since (run clock, us + 1): a holder that sees a drop request names its requester.
      Atomics.store(ctrl, WAIT_SINCE + me, Math.min(Math.floor(this.#ring.now()) + 1, 0x7fffffff));
      gil.take();
      Atomics.store(ctrl, WAIT_SINCE + me, 0);
      Atomics.store(ctrl, GIL_ID + me, gil.threadId);
      Atomics.store(ctrl, THREAD_OF_GIL_ID + gil.threadId, me);
      this.#ring.event(me, 'take');
      // One GIL per thread (per-interpreter, processes): nobody to hand off to or from.
      const sharedGil = this.#init.policy !== 'per-interpreter' && this.#init.policy !== 'processes';
      const last = sharedGil ? Atomics.exchange(ctrl, LAST_HOLDER, me) : 0;
      if (last !== 0 && last !== me) this.#ring.event(me, 'handoff', last);
      // Other workers stored globals while we waited; the vm's LOAD_GLOBAL cache is per worker.
      if (this.#heap) invalidateGlobalCaches();
    } else this.stopper?.attach();
    this.state('running');
  }

  /**
   * drop_gil; `next` is the state from the drop on (recorded before the drop, so no `running`
   * interval of this thread outlasts its hold of the GIL). With a pending drop request the lock's
   * forced switching applies.
   */
  dropGil(forced: boolean, next: TraceState, detail: (typeof DETAILS)[number]): void {
    if (this.#pendingStarts.length !== 0) this.flushStarts();
    this.state(next, detail);
    const gil = this.#gil;
    if (!gil) {
      // No GIL: blocked or gone, this thread no longer touches the heap (a world stop needs no wait).
      this.stopper?.detach();
      return;
    }
    if (forced) this.#ring.event(this.#init.id, 'forced-switch');
    this.#ring.event(this.#init.id, 'drop');
    gil.drop();
  }

  /**
   * At a breaker stop (the GIL's drop request is set): record the request, drop (forced switch)
   * and take again. The lock does not say who set the request or when; the instant is recorded
   * when the holder sees it (at most one breaker check later), naming the thread that has waited
   * longest as the requester, which under `cpython` is the one whose interval ran out first.
   */
  switchGil(): void {
    const gil = this.#gil;
    if (!gil) {
      // free-threaded: the breaker fired for a stop-the-world request; park until it is over.
      this.state('waiting', 'gc');
      this.stopper?.park();
      this.state('running');
      return;
    }
    if (gil.policy.requestDrops) {
      const waiter = this.#longestWaiter();
      this.#ring.event(waiter > 0 ? waiter : this.#init.id, 'drop-request', this.#init.id);
    }
    this.dropGil(gil.policy.name === 'cpython', 'waiting', 'gil');
    this.takeGil();
  }

  /** The thread waiting for the GIL the longest (0 if none). */
  #longestWaiter(): number {
    const ctrl = this.#ctrl;
    const n = Math.min(Atomics.load(ctrl, NEXT_THREAD), MAX_THREADS);
    let best = 0;
    let since = Number.POSITIVE_INFINITY;
    for (let id = 1; id < n; id++) {
      if (id === this.#init.id) continue;
      const w = Atomics.load(ctrl, WAIT_SINCE + id);
      if (w !== 0 && w < since) {
        since = w;
        best = id;
      }
    }
    return best;
  }

  /** Instructions executed so far by this worker's thread (for fault injection). */
  countInstructions(n: number): void {
    if (this.#pendingStarts.length !== 0) this.flushStarts();
    this.#instructions += n;
    const crash = this.#init.crashAfterInstructions;
    if (crash !== undefined && this.#instructions >= crash) {
      // Fault injection: die abruptly while holding the GIL (and any locks).
      this.#crash();
    }
  }

  // ---- Host -----------------------------------------------------------------------------------

  onBreaker(_thread: VmThreadLike): boolean {
    if (this.#pendingStarts.length !== 0) this.flushStarts();
    // free-threaded: only a stop-the-world request stops the loop (the vm itself merges biased
    // refcount queues and, without a GIL, reads globals under the dict's critical section).
    const gil = this.#gil;
    if (gil) return gil.dropRequested();
    return this.stopper?.requested() === true;
  }

  block(_thread: VmThreadLike, request: BlockRequest): unknown {
    const detail = request.kind === 'condition' ? 'lock' : request.kind;
    this.dropGil(false, request.kind === 'native' ? 'native' : 'blocked', detail);
    try {
      return this.#perform(request);
    } finally {
      this.takeGil();
    }
  }

  #perform(req: BlockRequest): unknown {
    const ms = (seconds: number) => (seconds < 0 ? undefined : seconds * 1000);
    switch (req.kind) {
      case 'sleep':
      case 'io':
        if (req.seconds > 0) Atomics.wait(this.#sleepCell, 0, 0, req.seconds * 1000);
        return undefined;
      case 'native': {
        // Real CPU work without the GIL, for as long as CPython would take.
        const until = performance.now() + req.cost / 1000;
        let x = 0;
        while (performance.now() < until) x++;
        return x >= 0 ? undefined : undefined;
      }
      case 'lock': {
        const l = this.#lock(req.lockId);
        if (l instanceof Mutex && l.isOwned()) {
          // Python's Lock is not owner-aware: re-acquiring it in the same thread just waits (for
          // the timeout, or forever). The Mutex would refuse, so play it out here.
          if (req.timeout < 0) {
            throw pyError('RuntimeError', 'deadlock: this thread waits forever for a Lock it already holds');
          }
          Atomics.wait(this.#sleepCell, 0, 0, req.timeout * 1000);
          return false;
        }
        return l.lock({ timeoutMs: ms(req.timeout) });
      }
      case 'event':
        return this.#event(req.eventId).wait({ timeoutMs: ms(req.timeout) });
      case 'join':
        return this.#join(req.threadId, req.timeout);
      case 'condition':
        return this.#condition(req.conditionId).wait({ timeoutMs: ms(req.timeout) });
    }
  }

  #join(id: number, timeout: number): undefined {
    const deadline = timeout < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeout * 1000;
    for (;;) {
      const s = Atomics.load(this.#ctrl, THREAD_STATE + id);
      if (s === DONE_CRASHED)
        throw pyError('RuntimeError', `thread ${id} crashed: its worker died before the thread finished`);
      if (s !== 0) return undefined;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.#ctrl, THREAD_STATE + id, 0, Math.min(left, 1000));
    }
  }

  /**
   * `Thread.start()`. Shared heap: the new thread gets the target and an args tuple as heap
   * references (one reference each, owned by the start message until the new thread has built
   * its frame). Own heaps (per-interpreter, processes): by global name and plain-data copies.
   */
  startThread(request: StartThreadRequest): number {
    const heap = this.#heap;
    if (!heap) return this.#startByName(request);
    const target = request.target as unknown as number;
    const args = request.args as number[];
    for (const r of [target, ...args]) {
      if (heap.typeTag(r) === T_OBJECT && heap.objectKind(r) === K_HANDLE) {
        const what = toJS(r as never) as { type?: string } | null;
        throw pyError(
          'TypeError',
          `a ${what?.type ?? 'handle'} object lives in one thread's worker and cannot be passed to another thread in the workers runtime`,
        );
      }
    }
    heap.incref(target);
    const argsRef = heap.newTuple(args);
    const id = Atomics.add(this.#ctrl, NEXT_THREAD, 1);
    const m: Extract<WorkerMessage, { type: 'start' }> = {
      type: 'start',
      id,
      name: request.name,
      targetRef: target,
      argsRef,
    };
    // The Thread object, when the vm hands it over (modules.ts passes `thread: self`).
    const thread = (request as StartThreadRequest & { thread?: number }).thread;
    if (thread === undefined) {
      // Posted at this thread's next breaker check or host call (see flushStarts).
      this.#pendingStarts.push(m);
      return id;
    }
    heap.incref(thread);
    m.threadRef = thread;
    this.#post(m);
    return id;
  }

  /**
   * Posts the start messages of threads this thread started, each with its Thread object (one
   * reference, for the new thread's `current_thread()`: the very object `start()` was called on,
   * as in CPython). For a vm whose StartThreadRequest does not carry the Thread object: then
   * `Thread.start()` registers it only after `startThread` returns, so the message waits for the
   * next breaker check (one follows every builtin call) or host call.
   */
  flushStarts(): void {
    const pending = this.#pendingStarts;
    if (pending.length === 0) return;
    this.#pendingStarts = [];
    const threads = this.interp?.moduleContext.threads;
    for (const m of pending) {
      const t = threads?.get(m.id);
      if (t !== undefined) {
        this.#heap?.incref(t);
        m.threadRef = t;
      }
      this.#post(m);
    }
  }

  #startByName(request: StartThreadRequest): number {
    const interp = this.interp!;
    let target: string | undefined;
    for (const k of interp.globalNames()) if (interp.globalCallable(k) === request.target) target = k;
    if (target === undefined) {
      throw pyError(
        'NotImplementedError',
        `the workers runtime starts threads on module-level functions only under the ${this.#init.policy} policy (each thread has its own interpreter)`,
      );
    }
    const args = request.args.map((a) => plain(toJS(a as never)));
    if (args.includes(NOT_PLAIN))
      throw pyError(
        'TypeError',
        `thread arguments must be plain data (None, bool, int, float, str, bytes, list, tuple, dict, set) under the ${this.#init.policy} policy (each thread has its own interpreter)`,
      );
    const id = Atomics.add(this.#ctrl, NEXT_THREAD, 1);
    this.#post({ type: 'start', id, name: request.name, target, args });
    return id;
  }

  currentThreadId(thread: VmThreadLike): number {
    return thread.id;
  }

  threadInfo(threadId: number): HostThreadInfo | undefined {
    if (threadId === this.#init.id) return { id: threadId, name: this.#init.name };
    return threadId < Atomics.load(this.#ctrl, NEXT_THREAD)
      ? { id: threadId, name: `Thread-${threadId - 1}` }
      : undefined;
  }

  activeCount(): number {
    const n = Atomics.load(this.#ctrl, NEXT_THREAD);
    let alive = 0;
    for (let id = 1; id < n; id++) if (Atomics.load(this.#ctrl, THREAD_STATE + id) === 0) alive++;
    return alive;
  }

  /**
   * A crashed thread never finished, so it stays "alive": `join()` then blocks in the host, which
   * raises RuntimeError for it instead of returning as for a finished thread.
   */
  isAlive(threadId: number): boolean {
    if (threadId >= Atomics.load(this.#ctrl, NEXT_THREAD)) return false;
    const s = Atomics.load(this.#ctrl, THREAD_STATE + threadId);
    return s === 0 || s === DONE_CRASHED;
  }

  newLock(reentrant: boolean): number {
    // Prelude (own heaps): the module-level locks the main thread made, by creation order.
    if (this.prelude) return this.#preludeLocks++;
    const id = Atomics.add(this.#ctrl, NEXT_LOCK, 1);
    if (id >= MAX_LOCKS) throw new Error(`too many locks for the workers runtime (at most ${MAX_LOCKS})`);
    const buf = this.#init.primitives;
    const off = LOCKS_OFFSET + id * Mutex.BYTES;
    this.#locks.set(id, reentrant ? RLock.init(buf, off) : Mutex.init(buf, off));
    // Published after the init: a worker that learns the id (through the heap) attaches to it.
    Atomics.store(this.#ctrl, LOCK_KIND + id, reentrant ? LOCK_RLOCK : LOCK_MUTEX);
    return id;
  }

  /** This worker's handle on lock `id`, attached on first use. */
  #lock(id: number): Mutex | RLock {
    let l = this.#locks.get(id);
    if (l) return l;
    const kind = id >= 0 && id < MAX_LOCKS ? Atomics.load(this.#ctrl, LOCK_KIND + id) : 0;
    if (kind === 0) throw new Error(`lock ${id} does not exist in this run`);
    const off = LOCKS_OFFSET + id * Mutex.BYTES;
    l = kind === LOCK_RLOCK ? new RLock(this.#init.primitives, off) : new Mutex(this.#init.primitives, off);
    this.#locks.set(id, l);
    return l;
  }

  tryAcquire(_thread: VmThreadLike, lockId: number): boolean {
    return this.#lock(lockId).tryLock();
  }

  release(_thread: VmThreadLike, lockId: number): void {
    const l = this.#lock(lockId);
    if (!l.isLocked())
      throw new Error(l instanceof RLock ? 'cannot release un-acquired lock' : 'release unlocked lock');
    l.unlock();
  }

  isLocked(lockId: number): boolean {
    return this.#lock(lockId).isLocked();
  }

  newEvent(): number {
    if (this.prelude) return this.#preludeEvents++;
    const id = Atomics.add(this.#ctrl, NEXT_EVENT, 1);
    if (id >= MAX_EVENTS) throw new Error(`too many events for the workers runtime (at most ${MAX_EVENTS})`);
    this.#events.set(id, Event.init(this.#init.primitives, EVENTS_OFFSET + id * Event.BYTES));
    Atomics.store(this.#ctrl, EVENT_MADE + id, 1);
    return id;
  }

  #event(id: number): Event {
    let e = this.#events.get(id);
    if (e) return e;
    if (!(id >= 0 && id < MAX_EVENTS) || Atomics.load(this.#ctrl, EVENT_MADE + id) === 0)
      throw new Error(`event ${id} does not exist in this run`);
    e = new Event(this.#init.primitives, EVENTS_OFFSET + id * Event.BYTES);
    this.#events.set(id, e);
    return e;
  }

  setEvent(eventId: number, value: boolean): void {
    const e = this.#event(eventId);
    if (value) e.set();
    else e.clear();
  }

  isEventSet(eventId: number): boolean {
    return this.#event(eventId).isSet();
  }

  newCondition(lockId: number): number {
    if (this.prelude) return this.#preludeConditions++;
    const lock = this.#lock(lockId);
    const id = Atomics.add(this.#ctrl, NEXT_CONDITION, 1);
    if (id >= MAX_CONDITIONS)
      throw new Error(`too many conditions for the workers runtime (at most ${MAX_CONDITIONS})`);
    const off = CONDITIONS_OFFSET + id * Condition.BYTES;
    this.#conditions.set(id, Condition.init(lock, this.#init.primitives, off));
    Atomics.store(this.#ctrl, CONDITION_LOCK + id, lockId + 1);
    return id;
  }

  #condition(id: number): Condition {
    let c = this.#conditions.get(id);
    if (c) return c;
    const lock = id >= 0 && id < MAX_CONDITIONS ? Atomics.load(this.#ctrl, CONDITION_LOCK + id) : 0;
    if (lock === 0) throw new Error(`condition ${id} does not exist in this run`);
    c = new Condition(this.#lock(lock - 1), this.#init.primitives, CONDITIONS_OFFSET + id * Condition.BYTES);
    this.#conditions.set(id, c);
    return c;
  }

  notify(conditionId: number, n: number): void {
    const c = this.#condition(conditionId);
    if (n < 0) c.notifyAll();
    else c.notify(n);
  }

  monotonic(): number {
    return this.#ring.now() / 1e6;
  }

  wallTime(): number {
    return Date.now() / 1000;
  }

  write(text: string): void {
    this.#append(OUTPUT_USED, 0, text);
  }

  /** What CPython writes to stderr (reports of exceptions in threads). */
  writeErr(text: string): void {
    this.#append(STDERR_USED, STREAM_BYTES, text);
  }

  #append(usedWord: number, base: number, text: string): void {
    const bytes = this.#encoder.encode(text);
    const at = Atomics.add(this.#ctrl, usedWord, bytes.length);
    if (at + bytes.length <= STREAM_BYTES) this.#out.set(bytes, base + at);
  }

  getSwitchInterval(): number {
    return (this.#gil?.getSwitchInterval() ?? 5) / 1000;
  }

  setSwitchInterval(seconds: number): void {
    this.#gil?.setSwitchInterval(seconds * 1000);
  }

  isGilEnabled(): boolean {
    return this.#gil !== undefined;
  }
}
