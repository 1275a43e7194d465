/**
 * The vm's {@link Host} for the simulator: blocking calls suspend the MiniPy thread (the engine
 * performs them in virtual time), locks/events/conditions are virtual ({@link SimSync}), the clock
 * is the thread's virtual time and `print` goes to the run's output.
 */
import type {
  BlockRequest,
  Host,
  HostThreadInfo,
  PoolHost,
  StartThreadRequest,
  StepResult,
  VmThread,
  VmThreadLike,
} from '@gilkit/vm';
import { SUSPEND, type VmInterpreter } from '../vm-api.js';
import type { SimEngine, SimThread } from './engine.js';
import type { SimSync } from './sync.js';
import type { Steppable } from './unit.js';

/** `time.time()` at virtual time 0: a fixed epoch keeps runs reproducible. */
const EPOCH_S = 1_700_000_000;

/** Adapts a vm thread to the engine and tells the host which thread is executing. */
class VmUnit implements Steppable {
  sim: SimThread | undefined;
  constructor(
    readonly vm: VmThread,
    readonly host: SimHost,
  ) {}
  #inRun = false;
  /** Exact also inside a step (host callbacks): the vm's `executedNow` counts the step in progress. */
  get executed(): number {
    const vm = this.vm as VmThread & { executedNow?: number };
    return this.#inRun && vm.executedNow !== undefined ? vm.executedNow : vm.executed;
  }
  run(max: number): StepResult {
    this.host.current = this.sim;
    this.#inRun = true;
    try {
      return this.vm.run(max) as StepResult;
    } finally {
      this.#inRun = false;
      this.host.current = undefined;
    }
  }
  resume(value: unknown): void {
    this.vm.resume(value);
  }
}

export class SimHost implements Host {
  /** `multiprocessing.Pool` support (set by SimRuntime). */
  pool: PoolHost | undefined;
  /** The simulated thread whose step is executing (host callbacks happen inside steps). */
  current: SimThread | undefined;
  readonly #engine: SimEngine;
  readonly #sync: SimSync;
  readonly #write: (text: string) => void;
  #lastVm: VmThreadLike | undefined;
  #lastSim: SimThread | undefined;

  constructor(engine: SimEngine, sync: SimSync, write: (text: string) => void) {
    this.#engine = engine;
    this.#sync = sync;
    this.#write = write;
  }

  /** Spawns a vm thread in the engine. */
  spawnVm(vmThread: VmThread, options: { name: string; parent?: SimThread; args?: number }): SimThread {
    const unit = new VmUnit(vmThread, this);
    const t = this.#engine.spawn(unit, {
      id: vmThread.id,
      name: options.name,
      parent: options.parent,
      args: options.args,
    });
    unit.sim = t;
    return t;
  }

  #sim(th: VmThreadLike): SimThread {
    // One-entry cache: onBreaker is on the eval loop's hot path.
    if (th === this.#lastVm && this.#lastSim) return this.#lastSim;
    const t = this.#engine.threads.get(th.id);
    if (!t) throw new Error(`SimHost: unknown thread ${th.id}`);
    this.#lastVm = th;
    this.#lastSim = t;
    return t;
  }

  #now(): number {
    return this.current ? this.#engine.timeOf(this.current) : this.#engine.now;
  }

  /** A host call that affects other threads: let the engine re-plan soon. */
  #effect(): void {
    if (this.current) this.current.yieldFlag = true;
  }

  /**
   * The engine changes `stopFlag`/`yieldFlag` only between steps (its event queue runs between
   * `run()` calls) or inside host calls (`#effect`), never while a step's compiled loop runs.
   */
  readonly stableBreaker = true;

  onBreaker(thread: VmThreadLike): boolean {
    const t = this.#sim(thread);
    return t.stopFlag || t.yieldFlag;
  }

  block(_thread: VmThreadLike, _request: BlockRequest): unknown {
    return SUSPEND;
  }

  startThread(request: StartThreadRequest): number {
    const id = this.#engine.reserveId();
    const interp = request.interpreter as VmInterpreter;
    const vmThread = interp.threadFor(request.target, request.args, { id, name: request.name });
    this.spawnVm(vmThread, { name: request.name, parent: this.current, args: request.args.length });
    return id;
  }

  currentThreadId(thread: VmThreadLike): number {
    return thread.id;
  }

  threadInfo(threadId: number): HostThreadInfo | undefined {
    const t = this.#engine.threads.get(threadId);
    return t ? { id: t.id, name: t.name } : undefined;
  }

  activeCount(): number {
    let n = 0;
    for (const t of this.#engine.threads.values()) if (!t.done) n++;
    return n;
  }

  isAlive(threadId: number): boolean {
    const t = this.#engine.threads.get(threadId);
    return t !== undefined && !t.done;
  }

  newLock(reentrant: boolean): number {
    return this.#sync.newLock(reentrant);
  }

  tryAcquire(thread: VmThreadLike, lockId: number): boolean {
    return this.#sync.tryAcquire(thread, lockId);
  }

  release(thread: VmThreadLike, lockId: number): void {
    this.#sync.release(this.#sim(thread), lockId, this.#now());
    this.#effect();
  }

  isLocked(lockId: number): boolean {
    return this.#sync.isLocked(lockId);
  }

  newEvent(): number {
    return this.#sync.newEvent();
  }

  setEvent(eventId: number, value: boolean): void {
    this.#sync.setEvent(eventId, value, this.#now());
    this.#effect();
  }

  isEventSet(eventId: number): boolean {
    return this.#sync.isEventSet(eventId);
  }

  newCondition(lockId: number): number {
    return this.#sync.newCondition(lockId);
  }

  notify(conditionId: number, n: number): void {
    this.#sync.notify(conditionId, n, this.#now());
    this.#effect();
  }

  monotonic(): number {
    return this.#now() / 1e9;
  }

  wallTime(): number {
    return EPOCH_S + this.#now() / 1e9;
  }

  write(text: string): void {
    this.#write(text);
  }

  getSwitchInterval(): number {
    return this.#engine.switchIntervalMs / 1000;
  }

  setSwitchInterval(seconds: number): void {
    this.#engine.setSwitchInterval(seconds);
  }

  isGilEnabled(): boolean {
    return this.#engine.gilEnabled;
  }
}
