/**
 * How much virtual time things cost in the simulator, and where each number comes from.
 *
 * ## Calibration of the instruction cost (redo it like this)
 *
 * The reference is CPython 3.11 on this project's 2-core machine running the countdown
 *
 * ```python
 * import time
 * def countdown(n):
 *     while n > 0:
 *         n -= 1
 * t = time.perf_counter(); countdown(40_000_000); print((time.perf_counter() - t) / 40_000_000 * 1e9, 'ns')
 * ```
 *
 * which prints about 17 ns per iteration (0.69 s for 40M; see
 * shared/reference/cpython-gil-facts.md). `python3 -c "import dis; ..."` shows that 3.11 executes 8
 * instructions per iteration (LOAD_FAST, LOAD_CONST, BINARY_OP, STORE_FAST, LOAD_FAST, LOAD_CONST,
 * COMPARE_OP, POP_JUMP_BACKWARD_IF_TRUE), so the default is 17 / 8 = 2.125 ns per instruction.
 * MiniPy's compiler may emit a different number of instructions for the same loop; the runtime
 * therefore calibrates per *iteration*: {@link calibrate} takes the measured ns per iteration and
 * the MiniPy instruction count of one iteration (what `gilkit dis` shows for the loop body) and
 * returns the ns per MiniPy instruction. `measureCpythonCountdownNs()` in `src/bench/calibrate.ts`
 * re-measures the first number with `python3` when it is installed.
 *
 * ## OS model
 *
 * Wake-up latency (a thread blocked on a futex/condvar becomes runnable and gets a core) is drawn
 * uniformly from [8, 40] µs with the seeded PRNG: Linux futex wake-ups on an idle core take tens of
 * microseconds, and the idle socket round trip measured with CPython here (63 µs) contains about two
 * of them. Thread start-up costs 60 µs. The time slice when more threads are runnable than there are
 * cores is 3 ms (CFS' minimum granularity ballpark).
 *
 * ## Policy-specific costs
 *
 * - legacy: the Python 2 tick check released and re-took the lock every 100 ticks; each release
 *   signals a sleeping waiter (a futex syscall) on the holder's critical path. `legacySignalNs` is
 *   set to 0.8 x 100 instructions, which reproduces Beazley's 1.8x for two countdown threads: on
 *   Python 2 the ticks were slower and the syscall dearer, and the model keeps their ratio. The
 *   re-acquire race is won by a woken waiter only when it arrives while the lock is free, a window
 *   of `legacyRaceWindowNs` in each check cycle; otherwise it is a failed ("false") wake-up.
 * - free-threaded: every instruction costs more for refcounting without the GIL: `biased` x1.06
 *   (PEP 703 measured 5-6% single-threaded overhead), `atomic` x1.5 (lock-prefixed increments on
 *   every incref/decref; an estimate, not a measurement).
 * - processes: each process starts 12 ms after `start()` (fork + interpreter start-up; CPython here
 *   runs `Pool(2)` countdowns at 0.54x sequential, i.e. about 28 ms of overhead on 0.69 s of work),
 *   and arguments/results are pickled at 5 ns per byte.
 */

/** Refcount implementation used by the free-threaded policy (as in `@gilkit/heap`). */
export type RefcountMode = 'biased' | 'atomic';

/** All cost constants of the simulator. Times in nanoseconds unless the name says otherwise. */
export interface CostModel {
  /** Virtual time per bytecode instruction. */
  nsPerInstruction: number;
  /** Wake-up latency range of a blocked thread (min, max), drawn uniformly. */
  wakeMinNs: number;
  wakeMaxNs: number;
  /** From `Thread.start()` to the new thread asking for the GIL. */
  threadStartNs: number;
  /** OS time slice when threads outnumber cores. */
  timeSliceNs: number;
  /** legacy: instructions between tick checks (Python 2's `sys.setcheckinterval`, default 100). */
  legacyCheckInterval: number;
  /** legacy: holder's cost of a release/re-acquire that signals a waiter. */
  legacySignalNs: number;
  /** legacy: length of the window in each check cycle in which the lock is free. */
  legacyRaceWindowNs: number;
  /** free-threaded: instruction cost multiplier per refcount mode. */
  refcountFactor: Record<RefcountMode, number>;
  /** processes: start-up of a process. */
  processStartNs: number;
  /** processes: pickling cost per byte; arguments are estimated at 64 bytes each. */
  pickleNsPerByte: number;
}

/** CPython 3.11 countdown: ns per iteration and instructions per iteration on the reference machine. */
export const CPYTHON_COUNTDOWN_NS_PER_ITERATION = 17;
export const CPYTHON_COUNTDOWN_INSTRUCTIONS_PER_ITERATION = 8;

/** ns per MiniPy instruction, given the measured CPython ns per countdown iteration. */
export function calibrate(nsPerIteration: number, instructionsPerIteration: number): number {
  if (!(nsPerIteration > 0) || !(instructionsPerIteration > 0)) {
    throw new RangeError('calibrate: both arguments must be positive numbers');
  }
  return nsPerIteration / instructionsPerIteration;
}

/** Builds the default cost model, optionally overriding some constants. */
export function defaultCostModel(overrides: Partial<CostModel> = {}): CostModel {
  const ns = overrides.nsPerInstruction ?? calibrate(17, 8);
  return {
    nsPerInstruction: ns,
    wakeMinNs: 8_000,
    wakeMaxNs: 40_000,
    threadStartNs: 60_000,
    timeSliceNs: 3_000_000,
    legacyCheckInterval: 100,
    legacySignalNs: 0.8 * 100 * ns,
    legacyRaceWindowNs: 50,
    refcountFactor: { biased: 1.06, atomic: 1.5 },
    processStartNs: 12_000_000,
    pickleNsPerByte: 5,
    ...overrides,
  };
}
