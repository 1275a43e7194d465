/**
 * Helpers to simulate synthetic workloads (scripts) without the vm: used by the engine's tests,
 * the benchmark and the documentation of the classic results.
 */
import type { Trace } from '../trace.js';
import { SimEngine, type SimEngineOptions } from './engine.js';
import { type ScriptOp, ScriptThread } from './script-thread.js';

/** A synthetic thread: its name and script. */
export interface ScriptSpec {
  name?: string;
  ops: ScriptOp[];
}

/** What {@link simulateScripts} returns. */
export interface ScriptRun {
  engine: SimEngine;
  trace: Trace;
  /** Virtual duration in µs. */
  durationUs: number;
}

/**
 * Runs the given scripts as threads started at time 0 (the first is `MainThread`) and returns the
 * trace. Under `per-interpreter` and `processes` each script after the first is its own group, as
 * if the first had started it.
 */
export function simulateScripts(scripts: ScriptSpec[], options: SimEngineOptions = {}): ScriptRun {
  const engine = new SimEngine(options);
  let first: ReturnType<SimEngine['spawn']> | undefined;
  for (const s of scripts) {
    const unit = new ScriptThread(s.ops);
    const t = engine.spawn(unit, { name: s.name, parent: first });
    first ??= t;
  }
  engine.run();
  const trace = engineTrace(engine, 'sim');
  return { engine, trace, durationUs: trace.durationUs };
}

/** Builds the {@link Trace} of a finished engine run. */
export function engineTrace(engine: SimEngine, runtime: 'sim' = 'sim'): Trace {
  const r = engine.recorder;
  const events = [...r.events].sort((a, b) => a.time - b.time);
  const intervals = [...r.intervals].sort((a, b) => a.thread - b.thread || a.start - b.start);
  return {
    version: 1,
    runtime,
    policy: engine.policy.name,
    cores: engine.cores,
    switchIntervalMs: engine.switchIntervalMs,
    seed: engine.seed,
    durationUs: r.durationUs,
    threads: [...r.threads],
    intervals,
    events,
  };
}
