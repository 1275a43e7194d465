/**
 * SimEngine: a deterministic discrete-event simulation of threads running bytecode under a GIL.
 *
 * Design note. Virtual time is in nanoseconds; the {@link EventQueue} orders callbacks by (time,
 * insertion order). The machine has `cores` virtual cores and an OS model: a thread that sleeps on
 * a condition variable or in I/O leaves its core and, when woken, becomes runnable after a wake-up
 * latency; runnable threads beyond the core count wait in a FIFO run queue and running threads are
 * pre-empted after a time slice when someone is queued (a pre-empted GIL holder keeps the GIL, as in
 * real life).
 *
 * Threads are {@link Steppable}s (vm threads or synthetic scripts). A thread that holds the GIL (or
 * needs none) *steps*: the engine calls `unit.run(budget)` with a budget that ends at the next queued
 * event, so nothing that could change the thread's course (a drop request, a time slice) happens
 * inside a step. Cross-thread effects of a step (a lock release, a thread exit) always reach other
 * threads through a wake-up, i.e. at least `wakeMinNs` later; when several threads step at once
 * (free-threaded, per-interpreter, processes) their steps are therefore bounded to `wakeMinNs`, the
 * engine's lookahead, which keeps the result exact without rollback. Host callbacks made *during* a
 * step (lock release, print...) set `yieldFlag`, which makes the thread stop at its next breaker
 * check so the engine can re-plan.
 *
 * GIL algorithms (fields named as in CPython's `struct _gil_runtime_state`):
 * - cpython: `take` on a locked GIL waits on `cond` for `interval`; a waiter whose wait timed out
 *   while `switchNumber` did not move sets `dropRequest`; the holder sees it at its next breaker
 *   check and drops; with forced switching the dropper then waits on `switch_cond` until another
 *   thread took the GIL. A drop signals `cond`: the OS (the seeded PRNG) picks one sleeping waiter.
 *   A thread that comes back from I/O while the GIL happens to be free takes it at once, ahead of
 *   the woken waiter (the convoy effect).
 * - fifo: cpython's timing, but a drop hands the GIL to the longest waiter.
 * - legacy: the holder releases and re-takes every `legacyCheckInterval` instructions, signalling a
 *   sleeping waiter each time; the waiter wins only if it arrives inside the release window.
 * - none: no GIL (free-threaded); instructions cost `refcountFactor` more.
 */
import type { TracePolicy } from '../trace.js';
import { type CostModel, defaultCostModel, type RefcountMode } from './cost-model.js';
import { EventQueue } from './event-queue.js';
import { POLICIES, type PolicySpec } from './policies.js';
import { Prng } from './prng.js';
import { TraceRecorder } from './recorder.js';
import type { BlockRequest, ExceptionInfo, Steppable, StepResult } from './unit.js';

/** Options of a simulation. */
export interface SimEngineOptions {
  /** GIL policy (default `cpython`). */
  policy?: TracePolicy;
  /** Virtual cores (default 2). */
  cores?: number;
  /** Switch interval in milliseconds (default 5, CPython's). */
  switchIntervalMs?: number;
  /** PRNG seed (default 1). The same seed gives the identical trace. */
  seed?: number;
  /** Cost model overrides. */
  cost?: Partial<CostModel>;
  /** Refcount mode under `free-threaded` (default `biased`). */
  refcountMode?: RefcountMode;
  /** Stop the simulation at this virtual time (ms); threads still alive are reported. Default: no limit. */
  maxVirtualMs?: number;
  /** Stop the simulation after this many instructions (all threads). Default: no limit. */
  maxInstructions?: number;
  /** Largest budget of one `run()` call (default 10M; lower keeps a vm thread's steps short). */
  maxStepInstructions?: number;
}

/** Thread lifecycle inside the engine. */
export type SimThreadStatus =
  | 'starting'
  | 'runnable'
  | 'running'
  | 'native'
  | 'gil-wait'
  | 'switch-wait'
  | 'blocked'
  | 'waking'
  | 'done';

/** Handles lock/event/condition blocks (the sim host's synchronisation objects). Returns false if unknown. */
export type BlockHandler = (thread: SimThread, request: BlockRequest) => boolean;

/** One simulated thread. */
export class SimThread {
  readonly id: number;
  readonly name: string;
  readonly group: number;
  readonly unit: Steppable;
  status: SimThreadStatus = 'starting';
  /** Core index while on a core, else -1. */
  core = -1;
  /** Virtual ns per instruction for this thread (policy factors included). */
  instrNs: number;
  /** Answer of the breaker check: a drop request for this holder is pending. */
  stopFlag = false;
  /** Stop at the next breaker check to let the engine re-plan (set by host callbacks). */
  yieldFlag = false;
  /** Set by a time-slice expiry: leave the core at the next step boundary. */
  preempt = false;
  /** True once the thread has finished or failed. */
  done = false;
  /** Exception that escaped the thread, if any. */
  error: ExceptionInfo | undefined;
  /** Instructions charged so far. */
  instructions = 0;
  /** @internal */ stepping = false;
  /** @internal */ chunkStart = 0;
  /** @internal */ execAtChunk = 0;
  /** @internal */ extraNs = 0;
  /** @internal */ waitEpoch = 0;
  /** @internal */ blockEpoch = 0;
  /** @internal asleep in the GIL's condition wait (eligible to be signalled) */ asleep = false;
  /** @internal */ gilCont: (() => void) | undefined;
  /** @internal legacy: instructions since the last tick check */ ticks = 0;
  /** @internal */ joiners: SimThread[] = [];
  /**
   * Set by a host call that already returned its result but whose caller must now wait (e.g.
   * `Pool.map` computed in other processes): at the next breaker check the thread drops the GIL and
   * is blocked this long, then continues.
   */
  pendingWaitNs = 0;
  pendingWaitDetail = '';

  constructor(id: number, name: string, group: number, unit: Steppable, instrNs: number) {
    this.id = id;
    this.name = name;
    this.group = group;
    this.unit = unit;
    this.instrNs = instrNs;
  }
}

/** One GIL (one per group under per-interpreter and processes). */
interface GilState {
  group: number;
  locked: boolean;
  holder: SimThread | undefined;
  lastHolder: SimThread | undefined;
  /** Hand-offs so far; a waiter only sets the drop request if this did not move during its wait. */
  switchNumber: number;
  dropRequest: boolean;
  /** Threads waiting to take this GIL, in arrival order (fifo hands off in this order). */
  waiters: SimThread[];
  /** Forced switching: the dropper waiting until someone else took the GIL, and what it does then. */
  switchWaiter: { t: SimThread; then: () => void } | undefined;
  /** legacy: a woken waiter that won the re-acquire race and takes over at the holder's next check. */
  stealer: SimThread | undefined;
}

/** Counters that are not visible as trace events. */
export interface SimCounters {
  /** Bytecode instructions executed (all threads). */
  instructions: number;
  /** Events processed by the queue. */
  events: number;
  /** Steps (`run()` calls). */
  steps: number;
  /** legacy: woken waiters that found the lock re-taken (Beazley's failed wake-ups). */
  falseWakeups: number;
  /** legacy: tick checks with a waiter present (release + re-acquire + signal). */
  legacyChecks: number;
  /** Time-slice pre-emptions by the OS model. */
  preemptions: number;
}

export class SimEngine {
  readonly policy: PolicySpec;
  readonly cores: number;
  readonly cost: CostModel;
  readonly seed: number;
  readonly refcountMode: RefcountMode;
  readonly recorder = new TraceRecorder();
  readonly counters: SimCounters = {
    instructions: 0,
    events: 0,
    steps: 0,
    falseWakeups: 0,
    legacyChecks: 0,
    preemptions: 0,
  };
  readonly threads = new Map<number, SimThread>();
  /** Virtual time of the event being processed (ns). */
  now = 0;
  /** Whether the run stopped at `maxVirtualMs` with work left. */
  truncated = false;
  /** Handler for lock/event/condition blocks, installed by the sim host. */
  blockHandler: BlockHandler | undefined;
  /** Called when a thread finishes or fails (the sim host prints uncaught thread exceptions). */
  onThreadEnd: ((t: SimThread) => void) | undefined;

  #intervalNs: number;
  #queue = new EventQueue();
  /** Step events of stepping threads, kept apart so that they do not bound each other's steps. */
  #steps = new EventQueue();
  #prng: Prng;
  #coreOf: (SimThread | undefined)[];
  #coreSince: number[];
  #sliceArmed: boolean[];
  #runQueue: { t: SimThread; cont: () => void }[] = [];
  #gils = new Map<number, GilState>();
  #stepping = 0;
  #nextId = 1;
  #nextGroup = 1;
  #limitNs: number;
  #maxInstructions: number;
  #maxBudget: number;

  constructor(options: SimEngineOptions = {}) {
    const policy = options.policy ?? 'cpython';
    const spec = POLICIES[policy];
    if (!spec)
      throw new RangeError(
        `options.policy must be one of ${Object.keys(POLICIES).join(', ')}, got ${String(policy)}`,
      );
    const cores = options.cores ?? 2;
    if (!Number.isInteger(cores) || cores < 1 || cores > 1024) {
      throw new RangeError(`options.cores must be an integer from 1 to 1024, got ${String(cores)}`);
    }
    const interval = options.switchIntervalMs ?? 5;
    if (!(typeof interval === 'number' && interval > 0 && Number.isFinite(interval))) {
      throw new RangeError(`options.switchIntervalMs must be a positive number, got ${String(interval)}`);
    }
    const seed = options.seed ?? 1;
    if (!Number.isInteger(seed)) throw new RangeError(`options.seed must be an integer, got ${String(seed)}`);
    const mode = options.refcountMode ?? 'biased';
    if (mode !== 'biased' && mode !== 'atomic') {
      throw new RangeError(`options.refcountMode must be 'biased' or 'atomic', got ${String(mode)}`);
    }
    this.policy = spec;
    this.cores = cores;
    this.seed = seed;
    this.refcountMode = mode;
    this.cost = defaultCostModel(options.cost);
    // CPython stores the interval in whole µs and treats 0 as 1 µs.
    this.#intervalNs = Math.max(1, Math.round(interval * 1000)) * 1000;
    this.#prng = new Prng(seed);
    this.#coreOf = new Array(cores).fill(undefined);
    this.#coreSince = new Array(cores).fill(0);
    this.#sliceArmed = new Array(cores).fill(false);
    this.#maxInstructions = options.maxInstructions ?? Number.POSITIVE_INFINITY;
    this.#maxBudget = options.maxStepInstructions ?? 10_000_000;
    this.#limitNs =
      options.maxVirtualMs === undefined ? Number.POSITIVE_INFINITY : options.maxVirtualMs * 1e6;
  }

  /** Switch interval in ms (`sys.getswitchinterval()` * 1000). */
  get switchIntervalMs(): number {
    return this.#intervalNs / 1e6;
  }

  /** `sys.setswitchinterval(seconds)`: affects waits that start afterwards, as in CPython. */
  setSwitchInterval(seconds: number): void {
    this.#intervalNs = Math.max(1, Math.round(seconds * 1e6)) * 1000;
  }

  /** Whether bytecode runs under a GIL. */
  get gilEnabled(): boolean {
    return this.policy.gil !== 'none';
  }

  /**
   * Creates a thread running `unit`. The first thread (no `parent`) starts at time 0; later ones
   * start after the OS thread start-up cost (plus process start-up and argument pickling under
   * `processes`). Returns the thread; its id is also the Python `ident`.
   */
  spawn(
    unit: Steppable,
    options: { name?: string; parent?: SimThread; args?: number; id?: number } = {},
  ): SimThread {
    const id = options.id ?? this.#nextId;
    this.#nextId = Math.max(this.#nextId, id + 1);
    const name = options.name ?? (id === 1 ? 'MainThread' : `Thread-${id - 1}`);
    const group = options.parent && this.policy.groupPerThread ? this.#nextGroup++ : 0;
    let instrNs = this.cost.nsPerInstruction;
    if (this.policy.freeThreadedRefcounts) instrNs *= this.cost.refcountFactor[this.refcountMode];
    const t = new SimThread(id, name, group, unit, instrNs);
    this.threads.set(id, t);
    const info = this.policy.groupPerThread ? { id, name, group } : { id, name };
    this.recorder.addThread(info);
    const unitWithCheck = unit as Steppable & { setBreakerCheck?: (f: () => boolean) => void };
    unitWithCheck.setBreakerCheck?.(() => t.stopFlag || t.yieldFlag);
    const at = options.parent ? this.timeOf(options.parent) : this.now;
    let delay = options.parent ? this.cost.threadStartNs : 0;
    if (options.parent && this.policy.processes) {
      delay += this.cost.processStartNs + (options.args ?? 0) * 64 * this.cost.pickleNsPerByte;
    }
    if (options.parent) options.parent.yieldFlag = true;
    this.recorder.set(id, 'waiting', at, 'start');
    this.#queue.push(at + delay, () =>
      this.#wantCore(t, () => this.#takeGil(t, () => this.#startStepping(t))),
    );
    return t;
  }

  /** Virtual time of `t` right now: inside a step, the step start plus what it executed so far. */
  timeOf(t: SimThread): number {
    if (!t.stepping) return this.now;
    return t.chunkStart + (t.unit.executed - t.execAtChunk) * t.instrNs;
  }

  /** Schedules `fn` at virtual time `at` (ns), never before the current event. */
  schedule(at: number, fn: () => void): void {
    this.#queue.push(Math.max(at, this.now), fn);
  }

  /** A uniformly drawn OS wake-up latency (ns). */
  wakeLatency(): number {
    return this.#prng.between(this.cost.wakeMinNs, this.cost.wakeMaxNs);
  }

  /**
   * Completes the pending block of `t` with `value` at time `at` (ns): the thread wakes up after
   * the OS latency, retakes the GIL and continues. `epoch` (from `t.blockEpoch` when the block was
   * registered) makes late completions (e.g. a timeout after the lock was granted) no-ops.
   */
  complete(t: SimThread, value: unknown, at: number, epoch: number, resume = true): boolean {
    if (t.done || t.status !== 'blocked' || t.blockEpoch !== epoch) return false;
    t.blockEpoch++;
    t.status = 'waking';
    const when = Math.max(at, this.now);
    this.recorder.set(t.id, 'waiting', when, 'wake');
    this.#queue.push(when + this.wakeLatency(), () =>
      this.#wantCore(t, () =>
        this.#takeGil(t, () => {
          if (resume) t.unit.resume(value);
          this.#startStepping(t);
        }),
      ),
    );
    return true;
  }

  /** Reserves a thread id (for trace-only threads such as pool worker processes). */
  reserveId(): number {
    return this.#nextId++;
  }

  /** Runs the simulation until nothing is left to do (or the virtual time limit). */
  run(): void {
    const q = this.#queue;
    const steps = this.#steps;
    while (q.size > 0 || steps.size > 0) {
      // Ordinary events first on ties: a drop request at time t must be seen by a step at time t.
      const from = steps.peekTime() < q.peekTime() ? steps : q;
      if (from.peekTime() > this.#limitNs) {
        this.truncated = true;
        break;
      }
      if (this.counters.instructions >= this.#maxInstructions) {
        this.truncated = true;
        break;
      }
      const ev = from.pop()!;
      this.now = ev.time;
      this.counters.events++;
      ev.run();
    }
    this.recorder.closeAll(this.now);
  }

  /** Threads that never finished (deadlocked, or cut off by the time limit). */
  get stuck(): SimThread[] {
    return [...this.threads.values()].filter((t) => !t.done);
  }

  // ---- cores and the OS model -------------------------------------------------------------

  #wantCore(t: SimThread, cont: () => void): void {
    if (t.core >= 0) {
      cont();
      return;
    }
    const free = this.#coreOf.indexOf(undefined);
    if (free >= 0) {
      this.#assign(t, free);
      cont();
      return;
    }
    t.status = 'runnable';
    this.recorder.set(t.id, 'waiting', this.now, 'core');
    this.#runQueue.push({ t, cont });
    this.#armSlices();
  }

  #assign(t: SimThread, core: number): void {
    this.#coreOf[core] = t;
    this.#coreSince[core] = this.now;
    t.core = core;
  }

  #leaveCore(t: SimThread): void {
    const core = t.core;
    if (core < 0) return;
    this.#coreOf[core] = undefined;
    t.core = -1;
    const next = this.#runQueue.shift();
    if (next) {
      this.#assign(next.t, core);
      this.#queue.push(this.now, next.cont);
      if (this.#runQueue.length > 0) this.#armSlices();
    }
  }

  #armSlices(): void {
    for (let c = 0; c < this.cores; c++) {
      if (this.#sliceArmed[c] || !this.#coreOf[c]) continue;
      this.#sliceArmed[c] = true;
      this.#queue.push(Math.max(this.now, this.#coreSince[c] + this.cost.timeSliceNs), () =>
        this.#sliceCheck(c),
      );
    }
  }

  #sliceCheck(core: number): void {
    this.#sliceArmed[core] = false;
    const t = this.#coreOf[core];
    if (!t || this.#runQueue.length === 0) return;
    // Compare with the very expression #armSlices scheduled this check at: `now - since < slice`
    // can hold in floating point while `since + slice` rounds to `now`, which would re-arm the
    // check at the current instant forever (seen with 4 threads on 2 cores after ~10 ms virtual).
    if (this.now < this.#coreSince[core] + this.cost.timeSliceNs) {
      this.#armSlices();
      return;
    }
    if (t.stepping) {
      t.preempt = true;
    } else {
      // Native work or a momentary GIL attempt: look again a slice later.
      this.#coreSince[core] = this.now;
      this.#armSlices();
    }
  }

  // ---- stepping ----------------------------------------------------------------------------

  #startStepping(t: SimThread): void {
    if (!t.stepping) {
      t.stepping = true;
      this.#stepping++;
    }
    t.status = 'running';
    this.recorder.set(t.id, 'running', this.now, undefined, t.core);
    this.#steps.push(this.now, () => this.#step(t));
  }

  #stopStepping(t: SimThread): void {
    if (t.stepping) {
      t.stepping = false;
      this.#stepping--;
    }
  }

  #step(t: SimThread): void {
    if (t.preempt) {
      t.preempt = false;
      this.counters.preemptions++;
      this.#stopStepping(t);
      t.status = 'runnable';
      this.recorder.set(t.id, 'waiting', this.now, 'core');
      const core = t.core;
      this.#coreOf[core] = undefined;
      t.core = -1;
      this.#runQueue.push({ t, cont: () => this.#startStepping(t) });
      const next = this.#runQueue.shift()!;
      this.#assign(next.t, core);
      this.#queue.push(this.now, next.cont);
      this.#armSlices();
      return;
    }
    let horizon = Math.min(this.#queue.peekTime(), this.#limitNs);
    if (this.#stepping > 1) horizon = Math.min(horizon, this.now + this.cost.wakeMinNs);
    let budget =
      horizon === Number.POSITIVE_INFINITY ? this.#maxBudget : Math.floor((horizon - this.now) / t.instrNs);
    budget = Math.min(
      Math.max(1, budget),
      this.#maxBudget,
      Math.max(1, this.#maxInstructions - this.counters.instructions),
    );
    const legacy = this.policy.gil === 'legacy';
    if (legacy) budget = Math.min(budget, Math.max(1, this.cost.legacyCheckInterval - t.ticks));
    t.chunkStart = this.now;
    t.execAtChunk = t.unit.executed;
    const r = t.unit.run(budget);
    this.counters.steps++;
    this.counters.instructions += r.executed;
    t.instructions += r.executed;
    const end = this.now + r.executed * t.instrNs + t.extraNs;
    t.extraNs = 0;
    if (legacy) t.ticks += r.executed;
    if (t.pendingWaitNs > 0 && (r.reason === 'budget' || r.reason === 'breaker')) {
      t.yieldFlag = false;
      this.#steps.push(end, () => this.#handleWait(t));
      return;
    }
    if (r.reason === 'budget' || (r.reason === 'breaker' && !t.stopFlag)) {
      t.yieldFlag = false;
      if (legacy && t.ticks >= this.cost.legacyCheckInterval)
        this.#steps.push(end, () => this.#legacyCheck(t));
      else this.#steps.push(end, () => this.#step(t));
      return;
    }
    this.#steps.push(end, () => this.#handleStop(t, r));
  }

  #handleStop(t: SimThread, r: StepResult): void {
    this.#stopStepping(t);
    t.yieldFlag = false;
    switch (r.reason) {
      case 'breaker':
        // A drop request is pending for our GIL: drop it (forced switch), then try to take it back.
        t.stopFlag = false;
        this.#dropGil(t, () => this.#takeGil(t, () => this.#startStepping(t)));
        return;
      case 'blocked':
        this.#dropGil(t, () => this.#block(t, r.blocked!));
        return;
      case 'finished':
      case 'error':
        if (r.error) t.error = r.error;
        this.#dropGil(t, () => this.#finish(t), true);
        return;
      case 'budget':
        this.#startStepping(t);
    }
  }

  #handleWait(t: SimThread): void {
    this.#stopStepping(t);
    const ns = t.pendingWaitNs;
    const detail = t.pendingWaitDetail;
    t.pendingWaitNs = 0;
    this.#dropGil(t, () => {
      t.status = 'blocked';
      const epoch = t.blockEpoch;
      this.#leaveCore(t);
      this.recorder.set(t.id, 'blocked', this.now, detail);
      this.#queue.push(this.now + ns, () => this.complete(t, undefined, this.now, epoch, false));
    });
  }

  #finish(t: SimThread): void {
    t.done = true;
    t.status = 'done';
    this.#leaveCore(t);
    this.recorder.end(t.id, this.now);
    for (const j of t.joiners) this.complete(j, undefined, this.now, j.blockEpoch);
    t.joiners = [];
    this.onThreadEnd?.(t);
  }

  #block(t: SimThread, req: BlockRequest): void {
    t.status = 'blocked';
    const epoch = t.blockEpoch;
    switch (req.kind) {
      case 'sleep':
      case 'io': {
        this.#leaveCore(t);
        const detail = req.kind === 'io' ? `io ${req.name}` : `sleep ${req.seconds}`;
        this.recorder.set(t.id, 'blocked', this.now, detail);
        this.#queue.push(this.now + Math.max(0, req.seconds) * 1e9, () =>
          this.complete(t, undefined, this.now, epoch),
        );
        return;
      }
      case 'native': {
        // Native work keeps the core but not the GIL; when done the thread retakes the GIL directly.
        this.recorder.set(t.id, 'native', this.now, req.name, t.core);
        this.#queue.push(this.now + Math.max(0, req.cost) * 1000, () => {
          t.blockEpoch++;
          t.status = 'waking';
          this.#takeGil(t, () => {
            t.unit.resume(undefined);
            this.#startStepping(t);
          });
        });
        return;
      }
      case 'join': {
        this.#leaveCore(t);
        const target = this.threads.get(req.threadId);
        this.recorder.set(t.id, 'blocked', this.now, `join ${target?.name ?? req.threadId}`);
        if (!target || target.done) {
          this.complete(t, undefined, this.now, epoch);
          return;
        }
        target.joiners.push(t);
        if (req.timeout >= 0) {
          this.#queue.push(this.now + req.timeout * 1e9, () => {
            if (this.complete(t, undefined, this.now, epoch))
              target.joiners = target.joiners.filter((x) => x !== t);
          });
        }
        return;
      }
      default: {
        this.#leaveCore(t);
        if (!this.blockHandler?.(t, req)) {
          throw new Error(`SimEngine: no handler for block request ${req.kind}`);
        }
      }
    }
  }

  // ---- the GIL -----------------------------------------------------------------------------

  #gil(group: number): GilState {
    let g = this.#gils.get(group);
    if (!g) {
      g = {
        group,
        locked: false,
        holder: undefined,
        lastHolder: undefined,
        switchNumber: 0,
        dropRequest: false,
        waiters: [],
        switchWaiter: undefined,
        stealer: undefined,
      };
      this.#gils.set(group, g);
    }
    return g;
  }

  #gilTag(g: GilState): { gil?: number } {
    return this.policy.groupPerThread ? { gil: g.group } : {};
  }

  /** `take_gil`: `t` is on a core; `then` runs once it holds the GIL. */
  #takeGil(t: SimThread, then: () => void): void {
    if (this.policy.gil === 'none') {
      then();
      return;
    }
    const g = this.#gil(t.group);
    if (g.holder === t) {
      then();
      return;
    }
    if (!g.locked && (this.policy.gil !== 'fifo' || g.waiters.length === 0)) {
      this.#acquire(g, t);
      then();
      return;
    }
    g.waiters.push(t);
    t.gilCont = then;
    this.#sleepOnGil(g, t);
  }

  /** Waits on the GIL's condition variable (leaving the core); cpython and fifo waits time out. */
  #sleepOnGil(g: GilState, t: SimThread): void {
    t.status = 'gil-wait';
    t.asleep = true;
    const epoch = ++t.waitEpoch;
    this.#leaveCore(t);
    this.recorder.set(t.id, 'waiting', this.now, 'gil');
    if (this.policy.gil === 'legacy') return;
    const snap = g.switchNumber;
    this.#queue.push(this.now + this.#intervalNs, () => {
      if (t.waitEpoch !== epoch) return;
      // The timed wait returned; the thread needs to be scheduled before it can look at the GIL.
      t.asleep = false;
      t.waitEpoch++;
      this.#queue.push(this.now + this.wakeLatency(), () =>
        this.#wantCore(t, () => this.#retake(g, t, true, snap)),
      );
    });
  }

  /** A waiter is awake again (signalled or timed out): the loop body of `take_gil`. */
  #retake(g: GilState, t: SimThread, timedOut: boolean, snap: number): void {
    if (g.holder === t) {
      // fifo: the GIL was handed to us while we slept.
      this.#leaveWaiters(g, t);
      t.gilCont!();
      return;
    }
    if (!g.locked && (this.policy.gil !== 'fifo' || g.waiters[0] === t)) {
      this.#acquire(g, t);
      t.gilCont!();
      return;
    }
    if (this.policy.gil === 'legacy') {
      const h = g.holder;
      const cycle = this.cost.legacyCheckInterval * h!.instrNs + this.cost.legacySignalNs;
      if (h?.stepping && !g.stealer && this.#prng.next() < this.cost.legacyRaceWindowNs / cycle) {
        // We arrived while the holder was between release and re-acquire: we get the lock at its
        // next check. Spin on the core until then (at most one check interval).
        g.stealer = t;
        return;
      }
      this.counters.falseWakeups++;
    } else if (timedOut && g.switchNumber === snap && !g.dropRequest) {
      g.dropRequest = true;
      this.recorder.event('drop-request', this.now, t.id, { to: g.holder?.id, ...this.#gilTag(g) });
      if (g.holder) g.holder.stopFlag = true;
    }
    this.#sleepOnGil(g, t);
  }

  #leaveWaiters(g: GilState, t: SimThread): void {
    const i = g.waiters.indexOf(t);
    if (i >= 0) g.waiters.splice(i, 1);
  }

  #acquire(g: GilState, t: SimThread): void {
    g.locked = true;
    g.holder = t;
    this.#leaveWaiters(g, t);
    t.asleep = false;
    t.waitEpoch++;
    const tag = this.#gilTag(g);
    this.recorder.event('take', this.now, t.id, tag);
    if (g.lastHolder !== t) {
      if (g.lastHolder)
        this.recorder.event('handoff', this.now, t.id, { from: g.lastHolder.id, to: t.id, ...tag });
      g.lastHolder = t;
      g.switchNumber++;
    }
    g.dropRequest = false;
    t.stopFlag = false;
    const sw = g.switchWaiter;
    if (sw && sw.t !== t) {
      // Forced switching: the dropper may go on now that someone else holds the GIL.
      g.switchWaiter = undefined;
      sw.t.status = 'waking';
      this.recorder.set(sw.t.id, 'waiting', this.now, 'wake');
      this.#queue.push(this.now + this.wakeLatency(), () => this.#wantCore(sw.t, sw.then));
    }
  }

  /** `drop_gil` (or the release at a legacy check); `then` runs when the thread may continue. */
  #dropGil(t: SimThread, then: () => void, exiting = false): void {
    if (this.policy.gil === 'none') {
      then();
      return;
    }
    const g = this.#gil(t.group);
    if (g.holder !== t) {
      then();
      return;
    }
    const forced = g.dropRequest;
    g.locked = false;
    g.holder = undefined;
    g.lastHolder = t;
    this.recorder.event('drop', this.now, t.id, this.#gilTag(g));
    if (this.policy.gil === 'fifo') {
      const next = g.waiters[0];
      if (next) {
        if (forced) this.recorder.event('forced-switch', this.now, t.id, this.#gilTag(g));
        const wasAsleep = next.asleep;
        this.#acquire(g, next);
        if (wasAsleep) {
          next.status = 'waking';
          this.recorder.set(next.id, 'waiting', this.now, 'wake');
          this.#queue.push(this.now + this.wakeLatency(), () =>
            this.#wantCore(next, () => this.#retake(g, next, false, 0)),
          );
        }
      }
      then();
      return;
    }
    this.#signal(g);
    if (forced && !exiting && this.policy.gil === 'cpython' && g.waiters.length > 0) {
      // FORCE_SWITCHING: wait on switch_cond until another thread has taken the GIL, otherwise on
      // multicore we would re-take it at once.
      this.recorder.event('forced-switch', this.now, t.id, this.#gilTag(g));
      t.status = 'switch-wait';
      this.#leaveCore(t);
      this.recorder.set(t.id, 'waiting', this.now, 'forced switch');
      g.switchWaiter = { t, then };
      return;
    }
    then();
  }

  /** COND_SIGNAL on the GIL's cond: the OS wakes one sleeping waiter of its choice. */
  #signal(g: GilState): void {
    let n = 0;
    for (const w of g.waiters) if (w.asleep) n++;
    if (n === 0) return;
    let pick = this.#prng.int(n);
    let w: SimThread | undefined;
    for (const x of g.waiters) {
      if (!x.asleep) continue;
      if (pick-- === 0) {
        w = x;
        break;
      }
    }
    const t = w!;
    t.asleep = false;
    t.waitEpoch++;
    this.#queue.push(this.now + this.wakeLatency(), () =>
      this.#wantCore(t, () => this.#retake(g, t, false, 0)),
    );
  }

  /** legacy: the tick check. Release, signal a waiter, re-acquire, unless a waiter won the race. */
  #legacyCheck(t: SimThread): void {
    t.ticks = 0;
    const g = this.#gil(t.group);
    if (g.holder !== t || g.waiters.length === 0) {
      this.#step(t);
      return;
    }
    this.counters.legacyChecks++;
    const stealer = g.stealer;
    if (stealer) {
      g.stealer = undefined;
      this.#stopStepping(t);
      this.#dropGil(t, () => {});
      this.#acquire(g, stealer);
      // The loser goes back to waiting; it is signalled at the new holder's checks.
      g.waiters.push(t);
      t.gilCont = () => this.#startStepping(t);
      this.#sleepOnGil(g, t);
      stealer.gilCont!();
      return;
    }
    this.#signal(g);
    // The release/re-acquire pair with a futex wake is on the holder's critical path.
    this.#steps.push(this.now + this.cost.legacySignalNs, () => this.#step(t));
  }
}
