/**
 * `npm run bench` in packages/vm: MiniPy vs python3 on the same programs in one run, printed as
 * medians and MiniPy/python3 ratios (acceptance <= 2x, target 1x). CPU time is the primary ratio
 * because the machine may be shared; wall time is shown next to it.
 */
import { compareWithPython, MINIPY_WARMUP, pythonVersion } from './measure.js';
import { PROGRAMS } from './programs.js';

const reps = Number(process.env.BENCH_REPS ?? 5);
const py = pythonVersion();
console.log(
  `MiniPy vs ${py ?? 'python3 (not found: MiniPy only)'}; node ${process.version}; ${reps} reps, median; ` +
    `MiniPy after ${MINIPY_WARMUP} untimed warm-up runs per program (BENCH_WARMUP), python3 after none`,
);
const rows = compareWithPython(PROGRAMS, reps);
const fmt = (x: number | null | undefined) => (x == null ? '-' : x.toFixed(1));
console.log(
  `${'program'.padEnd(24)}${'minipy cpu ms'.padStart(15)}${'python cpu ms'.padStart(15)}${'ratio cpu'.padStart(11)}${'minipy wall'.padStart(13)}${'python wall'.padStart(13)}${'ratio wall'.padStart(12)}`,
);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(24)}${fmt(r.minipy.cpuMs).padStart(15)}${fmt(r.python?.cpuMs).padStart(15)}${(r.cpuRatio == null ? '-' : `${r.cpuRatio.toFixed(2)}x`).padStart(11)}${fmt(r.minipy.wallMs).padStart(13)}${fmt(r.python?.wallMs).padStart(13)}${(r.wallRatio == null ? '-' : `${r.wallRatio.toFixed(2)}x`).padStart(12)}`,
  );
}
