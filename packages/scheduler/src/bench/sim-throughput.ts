/**
 * SimRuntime speed. Two measurements:
 * - synthetic: simulate `virtualSeconds` of `threads` CPU-bound countdown threads under the cpython
 *   policy (the engine advances CPU bursts arithmetically, so this measures the engine itself:
 *   events, steps, GIL protocol). Target (issue 6): 1 s virtual, 4 threads, 5 ms in < 100 ms wall.
 * - vm: a MiniPy countdown run through SimRuntime vs the same program in the vm alone
 *   (`runSource` with its default host): the simulator's overhead on real bytecode.
 */
import { runSource } from '@gilkit/vm';
import { countdownScript } from '../sim/script-thread.js';
import { SimRuntime } from '../sim/sim-runtime.js';
import { simulateScripts } from '../sim/synthetic.js';

export interface SimThroughput {
  virtualMs: number;
  wallMs: number;
  instructions: number;
  /** Simulated instructions per wall second. */
  instructionsPerSecond: number;
  handoffs: number;
  events: number;
}

/** Simulates `virtualSeconds` of `threads` CPU-bound threads; median of `rounds`. */
export function measureSimThroughput(
  options: { virtualSeconds?: number; threads?: number; switchIntervalMs?: number; rounds?: number } = {},
): SimThroughput {
  const seconds = options.virtualSeconds ?? 1;
  const threads = options.threads ?? 4;
  const rounds = options.rounds ?? 7;
  // Enough work that every thread is still busy at the end of the simulated window.
  const perThread = Math.ceil((seconds * 1e9) / 17) + 1e6;
  const results: SimThroughput[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    const t0 = performance.now();
    const run = simulateScripts(
      Array.from({ length: threads }, () => ({ ops: countdownScript(Math.ceil(perThread)) })),
      { switchIntervalMs: options.switchIntervalMs ?? 5, maxVirtualMs: seconds * 1000 },
    );
    const wallMs = performance.now() - t0;
    if (r === 0) continue; // warm-up
    const c = run.engine.counters;
    results.push({
      virtualMs: run.durationUs / 1000,
      wallMs,
      instructions: c.instructions,
      instructionsPerSecond: c.instructions / (wallMs / 1000),
      handoffs: run.trace.events.filter((e) => e.kind === 'handoff').length,
      events: c.events,
    });
  }
  results.sort((a, b) => a.wallMs - b.wallMs);
  return results[results.length >> 1];
}

export interface VmSimOverhead {
  /** Wall ms of the vm alone (default host). */
  vmMs: number;
  /** Wall ms of the same program under SimRuntime. */
  simMs: number;
  /** simMs / vmMs */
  ratio: number;
  /** MiniPy instructions per wall second under SimRuntime. */
  instructionsPerSecond: number;
}

/** A countdown of `iterations` in MiniPy: vm alone vs SimRuntime, medians of alternating rounds. */
export async function measureVmSimOverhead(
  options: { iterations?: number; rounds?: number } = {},
): Promise<VmSimOverhead> {
  const n = options.iterations ?? 300_000;
  const rounds = options.rounds ?? 5;
  const src = `def countdown(n):\n    while n > 0:\n        n -= 1\ncountdown(${n})\n`;
  const vm: number[] = [];
  const sim: number[] = [];
  let instructions = 0;
  const runVm = async () => {
    const t0 = performance.now();
    await runSource(src, { stdout: () => {} });
    return performance.now() - t0;
  };
  const runSim = () => {
    const t0 = performance.now();
    const r = new SimRuntime().run(src);
    instructions = r.counters.instructions;
    return performance.now() - t0;
  };
  await runVm();
  runSim();
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      vm.push(await runVm());
      sim.push(runSim());
    } else {
      sim.push(runSim());
      vm.push(await runVm());
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const vmMs = med(vm);
  const simMs = med(sim);
  return { vmMs, simMs, ratio: simMs / vmMs, instructionsPerSecond: instructions / (simMs / 1000) };
}
