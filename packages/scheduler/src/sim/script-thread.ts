/**
 * A synthetic thread body: a script of CPU bursts and blocking calls. It lets the engine be tested
 * and benchmarked without the vm, and it is what `src/bench` uses to simulate seconds of virtual
 * time quickly (a CPU burst is advanced arithmetically, not instruction by instruction).
 */
import type { BlockRequest, Steppable, StepResult } from './unit.js';

/** One step of a script. */
export type ScriptOp =
  /** Execute `instructions` bytecode instructions with an eval-breaker check every `breakerEvery` (default 8, a countdown iteration). */
  | { cpu: number; breakerEvery?: number }
  /** Block (sleep, I/O, native work, lock, join...). */
  | { block: BlockRequest }
  /** Call `fn` (e.g. release a virtual lock) at this point; the step ends right after it. */
  | { effect: () => void };

/** Asks whether the thread should stop at a breaker point (the host's `onBreaker`). */
export type BreakerCheck = () => boolean;

/** Instructions per countdown iteration used by {@link countdownScript} (CPython 3.11 emits 8). */
export const COUNTDOWN_INSTRUCTIONS_PER_ITERATION = 8;

/** A countdown of `iterations` iterations as a script (one CPU burst, breaker at each backward jump). */
export function countdownScript(iterations: number): ScriptOp[] {
  return [
    {
      cpu: iterations * COUNTDOWN_INSTRUCTIONS_PER_ITERATION,
      breakerEvery: COUNTDOWN_INSTRUCTIONS_PER_ITERATION,
    },
  ];
}

/**
 * A synthetic {@link Steppable}. Breaker checks are exact: the thread stops at the first check point
 * (every `breakerEvery` instructions of a burst) at which `shouldBreak()` is true. The answer of
 * `shouldBreak` only changes between `run()` calls for a script (it makes no host calls), so it is
 * asked once per call.
 */
export class ScriptThread implements Steppable {
  #ops: ScriptOp[];
  #pc = 0;
  /** Instructions left in the current CPU op. */
  #left = -1;
  #executed = 0;
  #shouldBreak: BreakerCheck;
  /** Results handed back by `resume`, in order (tests inspect them). */
  readonly resumed: unknown[] = [];

  constructor(ops: ScriptOp[], shouldBreak: BreakerCheck = () => false) {
    this.#ops = ops;
    this.#shouldBreak = shouldBreak;
  }

  /** Replaces the breaker check (the engine installs its own when the thread is spawned). */
  setBreakerCheck(check: BreakerCheck): void {
    this.#shouldBreak = check;
  }

  get executed(): number {
    return this.#executed;
  }

  run(maxInstructions: number): StepResult {
    let done = 0;
    while (this.#pc < this.#ops.length) {
      const op = this.#ops[this.#pc];
      if ('effect' in op) {
        this.#pc++;
        op.effect();
        this.#executed += done;
        return { reason: 'budget', executed: done };
      }
      if ('block' in op) {
        this.#pc++;
        this.#executed += done;
        return { reason: 'blocked', executed: done, blocked: op.block };
      }
      if (this.#left < 0) this.#left = op.cpu;
      const every = op.breakerEvery ?? COUNTDOWN_INSTRUCTIONS_PER_ITERATION;
      const budget = maxInstructions - done;
      if (this.#shouldBreak()) {
        // Stop at the next check point: the end of the current iteration.
        const intoIteration = (op.cpu - this.#left) % every;
        const toCheck = intoIteration === 0 && done > 0 ? 0 : every - intoIteration;
        const n = Math.min(toCheck, this.#left, budget);
        this.#left -= n;
        done += n;
        if (this.#left === 0) {
          this.#pc++;
          this.#left = -1;
        }
        if (n === toCheck) {
          this.#executed += done;
          return { reason: 'breaker', executed: done };
        }
        this.#executed += done;
        return { reason: 'budget', executed: done };
      }
      const n = Math.min(this.#left, budget);
      this.#left -= n;
      done += n;
      if (this.#left > 0) {
        this.#executed += done;
        return { reason: 'budget', executed: done };
      }
      this.#pc++;
      this.#left = -1;
      if (done >= maxInstructions) break;
    }
    this.#executed += done;
    if (this.#pc >= this.#ops.length) return { reason: 'finished', executed: done };
    return { reason: 'budget', executed: done };
  }

  resume(value: unknown): void {
    this.resumed.push(value);
  }
}
