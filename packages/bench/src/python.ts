/**
 * The CPython side of the benchmarks: small scripts in this package's `python/` folder, run with
 * `python3`, each printing one JSON object on its last line. When python3 is missing (or disabled
 * with GILKIT_BENCH_NO_PYTHON=1 / `--no-python`), suites report "not measured" instead of failing.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PythonError } from './errors.js';

export interface PythonInfo {
  executable: string;
  version: string;
}

let cached: PythonInfo | null | undefined;

/** Finds python3 once per process; null when absent or disabled. */
export function findPython(): PythonInfo | null {
  if (process.env.GILKIT_BENCH_NO_PYTHON === '1') return null;
  if (cached !== undefined) return cached;
  const executable = process.env.GILKIT_PYTHON ?? 'python3';
  const probe = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  cached = probe.status === 0 ? { executable, version: (probe.stdout || probe.stderr).trim() } : null;
  return cached;
}

/** Folder of the bundled python scripts (in the published package: `<pkg>/python`). */
export const pythonDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'python');

/**
 * Runs `python/<script>` with `args` and parses the JSON object it prints on its last line.
 * Returns null when python3 is not available.
 */
export function runPython<T>(script: string, args: readonly string[] = [], timeoutMs = 120_000): T | null {
  const python = findPython();
  if (!python) return null;
  const result = spawnSync(python.executable, [join(pythonDir, script), ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 2 ** 20,
  });
  if (result.error) throw new PythonError(`python3 ${script}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new PythonError(
      `python3 ${script} exited with ${result.status}: ${result.stderr.trim().slice(-500)}`,
    );
  }
  const lines = result.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]) as T;
  } catch {
    throw new PythonError(
      `python3 ${script} did not print JSON on its last line: ${lines.at(-1)?.slice(0, 200)}`,
    );
  }
}
