/**
 * The vm's Host inside a WorkerRuntime worker: blocking calls really block, with the GIL released
 * around them (CPython's Py_BEGIN/END_ALLOW_THREADS); Lock/RLock/Event are @gilkit/lock primitives
 * in a shared buffer; the clock is the run's common clock; output goes to the shared output buffer
 * in the order it is written (under the GIL).
 *
 * Shared globals: MiniPy objects are worker-local JS objects, so the module's *data* globals
 * (None, bool, int, float, str, bytes, list, tuple, dict, set) are published to the shared
 * @gilkit/heap every time a thread drops the GIL and loaded by the next thread that takes it. Under
 * a GIL every bytecode runs between a take and a drop, so each thread sees the effects of all
 * earlier GIL holders: the shared state is sequentially consistent, as in CPython.
 */
import { Heap } from '@gilkit/heap';
import { Condition, Event, type Gil, Mutex, RLock } from '@gilkit/lock';
import {
  type BlockRequest,
  type Host,
  type HostThreadInfo,
  type Interpreter,
  type StartThreadRequest,
  toJS,
  type VmThreadLike,
} from '@gilkit/vm';
import type { TraceState } from '../trace.js';
import {
  DONE_CRASHED,
  GIL_ID,
  GLOBALS_REF,
  GLOBALS_VERSION,
  MAX_CONDITIONS,
  MAX_EVENTS,
  MAX_LOCKS,
  NEXT_CONDITION,
  NEXT_EVENT,
  NEXT_LOCK,
  NEXT_THREAD,
  OUTPUT_USED,
  STDERR_USED,
  STREAM_BYTES,
  THREAD_OF_GIL_ID,
  THREAD_STATE,
} from './layout.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { type DETAILS, detailIndex, type TraceRing } from './ring.js';

/** Last GIL holder (MiniPy id), written by each taker under the GIL. */
const LAST_HOLDER = 6;

const LOCKS_OFFSET = 0;
const EVENTS_OFFSET = MAX_LOCKS * Mutex.BYTES;
const CONDITIONS_OFFSET = EVENTS_OFFSET + MAX_EVENTS * Event.BYTES;
/** Bytes of the primitives buffer. */
export const PRIMITIVES_BYTES = CONDITIONS_OFFSET + MAX_CONDITIONS * Condition.BYTES;

/** An Error the vm should raise as the given Python exception type (see requests-vm.md). */
function pyError(pyType: string, message: string): Error {
  return Object.assign(new Error(message), { pyType });
}

/** Not plain data (functions, modules, locks...): such globals stay worker-local. */
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
  /** True while the thread's prelude runs: primitives map to the ids the main thread created. */
  prelude = false;
  readonly #init: WorkerInit;
  readonly #ctrl: Int32Array;
  readonly #gil: Gil | undefined;
  readonly #heap: Heap | undefined;
  readonly #ring: TraceRing;
  readonly #post: (m: WorkerMessage) => void;
  readonly #crash: () => never;
  readonly #out: Uint8Array;
  readonly #encoder = new TextEncoder();
  readonly #sleepCell = new Int32Array(new SharedArrayBuffer(4));
  #locks = new Map<number, Mutex | RLock>();
  #events = new Map<number, Event>();
  #preludeLocks = 0;
  #preludeEvents = 0;
  #preludeConditions = 0;
  #conditions = new Map<number, Condition>();
  #globalsVersion = 0;
  #instructions = 0;

  constructor(
    init: WorkerInit,
    gil: Gil | undefined,
    ring: TraceRing,
    post: (m: WorkerMessage) => void,
    crash: () => never,
  ) {
    this.#init = init;
    this.#ctrl = new Int32Array(init.control);
    this.#gil = gil;
    this.#heap = init.heap ? Heap.attach(init.heap) : undefined;
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

  /** take_gil plus bookkeeping: hand-off event, globals import, `running` state. */
  takeGil(): void {
    const gil = this.#gil;
    const me = this.#init.id;
    if (gil) {
      gil.take();
      Atomics.store(this.#ctrl, GIL_ID + me, gil.threadId);
      Atomics.store(this.#ctrl, THREAD_OF_GIL_ID + gil.threadId, me);
      this.#ring.event(me, 'take');
      // One GIL per thread (per-interpreter, processes): nobody to hand off to or from.
      const sharedGil = this.#init.policy !== 'per-interpreter' && this.#init.policy !== 'processes';
      const last = sharedGil ? Atomics.exchange(this.#ctrl, LAST_HOLDER, me) : 0;
      if (last !== 0 && last !== me) this.#ring.event(me, 'handoff', last);
    }
    this.importGlobals();
    this.state('running');
  }

  /**
   * drop_gil after publishing globals; `next` is the state from the drop on (recorded before the
   * drop, so no `running` interval of this thread outlasts its hold of the GIL). With a pending drop
   * request the lock's forced switching applies.
   */
  dropGil(forced: boolean, next: TraceState, detail: (typeof DETAILS)[number]): void {
    this.exportGlobals();
    this.state(next, detail);
    const gil = this.#gil;
    if (!gil) return;
    if (forced) this.#ring.event(this.#init.id, 'forced-switch');
    this.#ring.event(this.#init.id, 'drop');
    gil.drop();
  }

  /** At a breaker stop: drop (forced switch) and take again. */
  switchGil(): void {
    this.dropGil(this.#gil?.policy.name === 'cpython', 'waiting', 'gil');
    this.takeGil();
  }

  /** Instructions executed so far by this worker's thread (for fault injection). */
  countInstructions(n: number): void {
    this.#instructions += n;
    const crash = this.#init.crashAfterInstructions;
    if (crash !== undefined && this.#instructions >= crash) {
      // Fault injection: die abruptly while holding the GIL (and any locks).
      this.#crash();
    }
  }

  exportGlobals(): void {
    const heap = this.#heap;
    const interp = this.interp;
    if (!heap || !interp) return;
    const m = new Map<string, unknown>();
    for (const k of interp.globalNames()) {
      if (k.startsWith('__')) continue;
      const js = plain(interp.getGlobal(k));
      if (js !== NOT_PLAIN) m.set(k, js);
    }
    const ref = heap.fromJS(m as Map<never, never>);
    const old = Atomics.load(this.#ctrl, GLOBALS_REF);
    const hadOld = Atomics.load(this.#ctrl, GLOBALS_VERSION) !== 0;
    Atomics.store(this.#ctrl, GLOBALS_REF, ref);
    this.#globalsVersion = Atomics.add(this.#ctrl, GLOBALS_VERSION, 1) + 1;
    if (hadOld) heap.decref(old);
  }

  importGlobals(): void {
    const heap = this.#heap;
    const interp = this.interp;
    if (!heap || !interp) return;
    const version = Atomics.load(this.#ctrl, GLOBALS_VERSION);
    if (version === 0 || version === this.#globalsVersion) return;
    const m = heap.toJS(Atomics.load(this.#ctrl, GLOBALS_REF)) as Map<string, unknown>;
    // A list/dict/set the thread may still hold (on its stack, in a local) is updated in place,
    // so an update made through that reference after the switch is not lost.
    for (const [k, v] of m) interp.updateGlobal(k, v);
    this.#globalsVersion = version;
  }

  // ---- Host -----------------------------------------------------------------------------------

  onBreaker(_thread: VmThreadLike): boolean {
    return this.#gil?.dropRequested() === true;
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

  startThread(request: StartThreadRequest): number {
    const interp = this.interp!;
    let target: string | undefined;
    for (const k of interp.globalNames()) if (interp.globalCallable(k) === request.target) target = k;
    if (target === undefined) {
      throw pyError(
        'NotImplementedError',
        'the workers runtime starts threads on module-level functions only (like multiprocessing)',
      );
    }
    const args = request.args.map((a) => plain(toJS(a as never)));
    if (args.includes(NOT_PLAIN))
      throw pyError(
        'TypeError',
        'thread arguments must be plain data (None, bool, int, float, str, bytes, list, tuple, dict, set) in the workers runtime',
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
    const buf = this.#init.primitives;
    if (this.prelude) {
      const id = this.#preludeLocks++;
      const off = LOCKS_OFFSET + id * Mutex.BYTES;
      this.#locks.set(id, reentrant ? new RLock(buf, off) : new Mutex(buf, off));
      return id;
    }
    const id = Atomics.add(this.#ctrl, NEXT_LOCK, 1);
    if (id >= MAX_LOCKS) throw new Error(`too many locks for the workers runtime (at most ${MAX_LOCKS})`);
    const off = LOCKS_OFFSET + id * Mutex.BYTES;
    this.#locks.set(id, reentrant ? RLock.init(buf, off) : Mutex.init(buf, off));
    return id;
  }

  #lock(id: number): Mutex | RLock {
    const l = this.#locks.get(id);
    if (!l) throw new Error(`lock ${id} was not created in this thread's module prelude`);
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
    const buf = this.#init.primitives;
    if (this.prelude) {
      const id = this.#preludeEvents++;
      this.#events.set(id, new Event(buf, EVENTS_OFFSET + id * Event.BYTES));
      return id;
    }
    const id = Atomics.add(this.#ctrl, NEXT_EVENT, 1);
    if (id >= MAX_EVENTS) throw new Error(`too many events for the workers runtime (at most ${MAX_EVENTS})`);
    this.#events.set(id, Event.init(buf, EVENTS_OFFSET + id * Event.BYTES));
    return id;
  }

  #event(id: number): Event {
    const e = this.#events.get(id);
    if (!e) throw new Error(`event ${id} was not created in this thread's module prelude`);
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
    const lock = this.#lock(lockId);
    const buf = this.#init.primitives;
    if (this.prelude) {
      const id = this.#preludeConditions++;
      this.#conditions.set(id, new Condition(lock, buf, CONDITIONS_OFFSET + id * Condition.BYTES));
      return id;
    }
    const id = Atomics.add(this.#ctrl, NEXT_CONDITION, 1);
    if (id >= MAX_CONDITIONS)
      throw new Error(`too many conditions for the workers runtime (at most ${MAX_CONDITIONS})`);
    this.#conditions.set(id, Condition.init(lock, buf, CONDITIONS_OFFSET + id * Condition.BYTES));
    return id;
  }

  #condition(id: number): Condition {
    const c = this.#conditions.get(id);
    if (!c) throw new Error(`condition ${id} was not created in this thread's module prelude`);
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
