/**
 * Running one MiniPy program under gilkit's runtimes and under CPython, reading the number it
 * prints. The programs print their own measurement (elapsed seconds, a latency), so the same
 * source measures virtual time in the simulator, wall time on real workers and wall time in python3.
 */
import { runProgram, type TracePolicy } from '@gilkit/scheduler';
import { runPythonSource } from '../programs.js';

export type Runtime = 'sim' | 'workers';

export interface ProgramRun {
  policy: TracePolicy;
  cores?: number;
  switchIntervalMs?: number;
}

/** The last line the program printed, as a number. */
function lastNumber(output: string, what: string): number {
  const line = output.trim().split('\n').at(-1) ?? '';
  const value = Number(line);
  if (!Number.isFinite(value)) throw new Error(`${what} printed ${JSON.stringify(line)}, not a number`);
  return value;
}

/** Runs `source` on a gilkit runtime; null when that runtime is unavailable here. */
export async function runOnGilkit(source: string, runtime: Runtime, run: ProgramRun): Promise<number | null> {
  let result: Awaited<ReturnType<typeof runProgram>>;
  try {
    result = await runProgram(source, {
      runtime,
      policy: run.policy,
      cores: run.cores ?? 2,
      switchIntervalMs: run.switchIntervalMs ?? 5,
      seed: 1,
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_GILKIT_RUNTIME_UNAVAILABLE') return null;
    throw error;
  }
  if (result.exception) {
    throw new Error(`${runtime}/${run.policy}: ${result.exception.type}: ${result.exception.message}`);
  }
  return lastNumber(result.output, `${runtime}/${run.policy}`);
}

/** Runs `source` with python3; null without python3 or when disabled. */
export function runOnCPython(source: string, enabled: boolean): number | null {
  if (!enabled) return null;
  const out = runPythonSource(source);
  return out === null ? null : lastNumber(out, 'python3');
}

/** Median of the defined values; null when none. */
export function medianOf(values: (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}
