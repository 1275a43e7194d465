/**
 * SimRuntime: runs a MiniPy program in the simulator. Browser-safe (no `node:` imports), runs on a
 * main thread or in a Web Worker without SharedArrayBuffer.
 */
import { DeadlockError, RunLimitError } from '../errors.js';
import { summarize, type TraceStats } from '../stats.js';
import type { Trace } from '../trace.js';
import { compileErrorInfo, vmApi } from '../vm-api.js';
import { CPYTHON_COUNTDOWN_NS_PER_ITERATION, calibrate } from './cost-model.js';
import { type SimCounters, SimEngine, type SimEngineOptions } from './engine.js';
import { SimHost } from './sim-host.js';
import { SimPool } from './sim-pool.js';
import { SimSync } from './sync.js';
import { engineTrace } from './synthetic.js';
import type { ExceptionInfo } from './unit.js';

/** Options of {@link SimRuntime}. */
export interface SimRuntimeOptions extends SimEngineOptions {
  /** File name shown in tracebacks (default `<string>`). */
  filename?: string;
  /** Called with each piece of output as the program prints it. */
  stdout?: (text: string) => void;
  /** Called with what CPython writes to stderr (reports of exceptions in threads). */
  stderr?: (text: string) => void;
  /**
   * Let the vm compile hot small-int loops to JS (its loop compiler keeps instruction counts
   * exact, so virtual time is the same; only wall time drops). Default true.
   */
  jit?: boolean;
}

/** What a run produced. */
export interface RunResult {
  /** Everything the program printed (stdout). */
  output: string;
  /**
   * What CPython would write to stderr during the run: `Exception in thread ...` reports of
   * exceptions that ended a thread. (The main thread's uncaught exception is in `exception`.)
   */
  stderr: string;
  /** The exception that ended the main thread (or a compile error), else `null`. */
  exception: ExceptionInfo | null;
  trace: Trace;
  stats: TraceStats;
  /** Simulator counters (instructions, steps, false wake-ups...). */
  counters: SimCounters;
}

let countdownInstructions: number | undefined;

/**
 * MiniPy instructions per iteration of `while n > 0: n -= 1`, measured by running the loop in the
 * vm (so the calibration follows the compiler).
 */
export function miniPyCountdownInstructions(): number {
  if (countdownInstructions !== undefined) return countdownInstructions;
  const { Interpreter } = vmApi();
  const count = (n: number): number => {
    const host = new SimEngineFreeHost();
    const interp = new Interpreter({ host, filename: '<calibrate>' });
    const th = interp.mainThread(`def countdown(n):\n    while n > 0:\n        n -= 1\ncountdown(${n})\n`);
    th.run(1e9);
    return th.executed;
  };
  countdownInstructions = (count(1000) - count(0)) / 1000;
  return countdownInstructions;
}

/** Runs MiniPy programs in virtual time. One instance can run several programs, one at a time. */
export class SimRuntime {
  readonly options: SimRuntimeOptions;

  constructor(options: SimRuntimeOptions = {}) {
    // Validate early: the engine constructor checks every option and names it.
    new SimEngine(options);
    this.options = options;
  }

  /**
   * Runs `source` to completion in virtual time and returns output, exception, trace and stats.
   *
   * @throws RunLimitError when `maxInstructions`/`maxVirtualMs` stopped the run.
   * @throws DeadlockError when threads remain blocked forever.
   */
  run(source: string): RunResult {
    const api = vmApi();
    const o = this.options;
    const cost = { ...o.cost };
    if (cost.nsPerInstruction === undefined) {
      cost.nsPerInstruction = calibrate(CPYTHON_COUNTDOWN_NS_PER_ITERATION, miniPyCountdownInstructions());
    }
    const engine = new SimEngine({ maxStepInstructions: 200_000, ...o, cost });
    const sync = new SimSync(engine);
    let output = '';
    let stderr = '';
    const write = (text: string) => {
      output += text;
      o.stdout?.(text);
    };
    const writeErr = (text: string) => {
      stderr += text;
      o.stderr?.(text);
    };
    const host = new SimHost(engine, sync, write);
    const filename = o.filename ?? '<string>';
    const jit = o.jit ?? true;
    host.pool = new SimPool(engine, api, filename, write, () => host.current, jit);
    engine.onThreadEnd = (t) => {
      if (t.id !== 1 && t.error) writeErr(`Exception in thread ${t.name}:\n${t.error.traceback}`);
    };
    const interp = new api.Interpreter({ host, filename, jit });
    let main: ReturnType<typeof interp.mainThread>;
    try {
      main = interp.mainThread(source);
    } catch (e) {
      const info = compileErrorInfo(e, source);
      if (!info) throw e;
      engine.run();
      const trace = engineTrace(engine);
      return { output, stderr, exception: info, trace, stats: summarize(trace), counters: engine.counters };
    }
    const mainSim = host.spawnVm(main, { name: 'MainThread' });
    engine.run();
    const trace = engineTrace(engine);
    if (engine.truncated) {
      throw new RunLimitError(
        `simulation stopped after ${engine.counters.instructions} instructions and ${(engine.now / 1e6).toFixed(3)} ms of virtual time (maxInstructions/maxVirtualMs)`,
        output,
        trace,
      );
    }
    const stuck = engine.stuck;
    if (stuck.length > 0)
      throw new DeadlockError(
        stuck.map((t) => t.name),
        output,
        trace,
      );
    return {
      output,
      stderr,
      exception: mainSim.error ?? null,
      trace,
      stats: summarize(trace),
      counters: engine.counters,
    };
  }
}

/** A minimal host for calibration runs: no threads, no blocking, no output. */
class SimEngineFreeHost {
  onBreaker() {
    return false;
  }
  block() {
    return undefined;
  }
  startThread(): number {
    throw new Error('calibration program started a thread');
  }
  currentThreadId(t: { id: number }) {
    return t.id;
  }
  threadInfo() {
    return undefined;
  }
  activeCount() {
    return 1;
  }
  isAlive() {
    return false;
  }
  newLock() {
    return 0;
  }
  tryAcquire() {
    return true;
  }
  release() {}
  isLocked() {
    return false;
  }
  newEvent() {
    return 0;
  }
  setEvent() {}
  isEventSet() {
    return false;
  }
  newCondition() {
    return 0;
  }
  notify() {}
  monotonic() {
    return 0;
  }
  wallTime() {
    return 0;
  }
  write() {}
  getSwitchInterval() {
    return 0.005;
  }
  setSwitchInterval() {}
  isGilEnabled() {
    return true;
  }
}
