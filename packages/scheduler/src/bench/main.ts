/**
 * `npm run bench` (node dist/bench/main.js): prints the scheduler's benchmarks. Numbers are
 * reported next to a baseline measured in the same run.
 */
import { CPYTHON_COUNTDOWN_NS_PER_ITERATION } from '../sim/cost-model.js';
import { measureCpythonCountdownNs } from './calibrate.js';
import { measureSimThroughput, measureVmSimOverhead } from './sim-throughput.js';
import { measureWorkerCountdown } from './workers-countdown.js';
import { measureHandoffOverhead } from './workers-handoff.js';

const fmt = (n: number, d = 1) => n.toFixed(d);

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
const h = await measureHandoffOverhead();
console.log(
  `WorkerRuntime GIL hand-off (drop -> next thread running), 0.2 ms interval: ${fmt(h.runtimeUs)} us vs bare Gil ` +
    `${fmt(h.lockUs)} us = ${fmt(h.ratio, 2)}x (${h.runtimeSwitches} switches)`,
);
for (const policy of ['cpython', 'free-threaded'] as const) {
  const w = await measureWorkerCountdown(policy);
  console.log(
    `WorkerRuntime countdown (4M iterations), ${policy}: 2 threads ${fmt(w.twoThreadsMs)} ms vs 1 thread ` +
      `${fmt(w.oneThreadMs)} ms = ${fmt(w.ratio, 2)}x`,
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
