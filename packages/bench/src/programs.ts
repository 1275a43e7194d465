/**
 * The Python programs the suites run, from this package's `programs/` folder. The same source runs
 * under MiniPy and under python3; the suites set its parameters (upper-case module constants).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchValueError, PythonError } from './errors.js';
import { findPython } from './python.js';

export const programsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'programs');

/** Source of `programs/<name>.py` with each `NAME = ...` line of `params` replaced. */
export function program(name: string, params: Record<string, number | string> = {}): string {
  let source = readFileSync(join(programsDir, `${name}.py`), 'utf8');
  for (const [key, value] of Object.entries(params)) {
    const line = new RegExp(`^${key} = .*$`, 'm');
    if (!line.test(source)) throw new BenchValueError(`program ${name} has no parameter ${key}`);
    source = source.replace(line, `${key} = ${typeof value === 'string' ? JSON.stringify(value) : value}`);
  }
  return source;
}

/** Runs `source` with python3 and returns its stdout, or null when python3 is unavailable. */
export function runPythonSource(source: string, timeoutMs = 300_000): string | null {
  const python = findPython();
  if (!python) return null;
  const dir = mkdtempSync(join(tmpdir(), 'gilkit-bench-'));
  try {
    const file = join(dir, 'program.py');
    writeFileSync(file, source);
    const r = spawnSync(python.executable, [file], { encoding: 'utf8', timeout: timeoutMs });
    if (r.error) throw new PythonError(`python3: ${r.error.message}`);
    if (r.status !== 0)
      throw new PythonError(`python3 exited with ${r.status}: ${r.stderr.trim().slice(-500)}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Times `source` in python3 (compile excluded, `repeats` executions in one process, see
 * python/run_file.py); seconds per execution, or null without python3.
 */
export function timePythonSource(source: string, repeats = 1): number[] | null {
  const python = findPython();
  if (!python) return null;
  const dir = mkdtempSync(join(tmpdir(), 'gilkit-bench-'));
  try {
    const file = join(dir, 'program.py');
    writeFileSync(file, source);
    const runner = join(programsDir, '..', 'python', 'run_file.py');
    const r = spawnSync(python.executable, [runner, file, String(repeats)], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0)
      throw new PythonError(`python3 run_file.py exited with ${r.status}: ${r.stderr.trim().slice(-500)}`);
    return (JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number[] }).seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
