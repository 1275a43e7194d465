/**
 * `npm run bench` (node dist/bench/main.js): prints the scheduler's benchmarks. Numbers are
 * reported next to a baseline measured in the same run.
 */
import { availableParallelism, loadavg } from 'node:os';
import { CPYTHON_COUNTDOWN_NS_PER_ITERATION } from '../sim/cost-model.js';
import { measureCpythonCountdownNs } from './calibrate.js';
import { measureSimThroughput, measureVmSimOverhead } from './sim-throughput.js';
import { measureWorkerCountdown } from './workers-countdown.js';
import { measureHandoffOverhead } from './workers-handoff.js';

const fmt = (n: number, d = 1) => n.toFixed(d);

// --workers: only the WorkerRuntime benchmarks.
const workersOnly = process.argv.includes('--workers');
if (!workersOnly) {
  const sim = measureSimThroughput();
  console.log(
    `SimRuntime, 4 CPU-bound threads, 5 ms interval: ${fmt(sim.virtualMs / 1000, 2)} s virtual in ${fmt(sim.wallMs)} ms wall ` +
      `(target < 100 ms: ${sim.wallMs < 100 ? 'ok' : 'MISSED'}); ${(sim.instructionsPerSecond / 1e9).toFixed(1)} G simulated instructions/s, ` +
      `${sim.handoffs} hand-offs, ${sim.events} events`,
  );
  const vm = await measureVmSimOverhead();
  console.log(
    `MiniPy countdown, SimRuntime vs vm alone: ${fmt(vm.simMs)} ms vs ${fmt(vm.vmMs)} ms = ${fmt(vm.ratio, 2)}x; ` +
      `${(vm.instructionsPerSecond / 1e6).toFixed(1)} M bytecode instructions/s executed under the simulator`,
  );
}
const h = await measureHandoffOverhead();
console.log(
  `WorkerRuntime GIL hand-off (drop -> next thread running), 0.2 ms interval: ${fmt(h.runtimeUs)} us vs bare Gil ` +
    `${fmt(h.lockUs)} us = ${fmt(h.ratio, 2)}x (${h.runtimeSwitches} switches)`,
);
for (const policy of ['cpython', 'free-threaded'] as const) {
  const w = await measureWorkerCountdown(policy);
  console.log(
    `WorkerRuntime countdown (${w.iterations / 1e6}M iterations, ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}), ${policy}: ` +
      `2 threads ${fmt(w.two.wallMs)} ms vs 1 thread ${fmt(w.one.wallMs)} ms wall = ${fmt(w.ratio, 2)}x ` +
      `(in-program ${fmt(w.two.programMs)} vs ${fmt(w.one.programMs)} ms = ${fmt(w.programRatio, 2)}x; ` +
      `cpu/wall ${fmt(w.two.cpuMs / w.two.wallMs, 2)} vs ${fmt(w.one.cpuMs / w.one.wallMs, 2)}; start-up of 2 idle threads ${fmt(w.startupMs)} ms)`,
  );
}
if (process.argv.includes('--calibrate')) {
  const c = measureCpythonCountdownNs();
  console.log(
    c
      ? `CPython ${c.version} countdown: ${fmt(c.nsPerIteration)} ns/iteration (cost model: ${CPYTHON_COUNTDOWN_NS_PER_ITERATION})`
      : 'python3 not available: calibration skipped',
  );
}
