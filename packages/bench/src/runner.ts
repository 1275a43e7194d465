import { captureEnvironment } from './environment.js';
import type { MeasureOptions } from './harness.js';
import { createProgress, silentProgress } from './progress.js';
import { findPython } from './python.js';
import { REPORT_SCHEMA, type Report } from './report.js';
import type { Suite } from './suite.js';

export interface RunSuitesOptions {
  quick?: boolean;
  /** Measure CPython columns when python3 is present. Default true. */
  python?: boolean;
  /** Show progress on stderr. Default false (library use). */
  progress?: boolean;
  /** Called with each suite's text as soon as it finishes. */
  onSuiteDone?: (result: Report['suites'][number]) => void;
}

/** Budgets per mode. Quick: a smoke run; full: enough samples for stable medians. */
export function measureOptionsFor(quick: boolean): MeasureOptions {
  return quick
    ? { warmup: 1, minSamples: 3, maxSamples: 7, budgetMs: 150 }
    : { warmup: 3, minSamples: 11, maxSamples: 61, budgetMs: 1500 };
}

/** Runs `suites` in order and collects one report. */
export async function runSuites(suites: readonly Suite[], options: RunSuitesOptions = {}): Promise<Report> {
  const quick = options.quick ?? false;
  if (options.python === false) process.env.GILKIT_BENCH_NO_PYTHON = '1';
  const python = findPython() !== null;
  const report: Report = {
    schema: REPORT_SCHEMA,
    createdAt: new Date().toISOString(),
    quick,
    environment: captureEnvironment(),
    suites: [],
  };
  for (const suite of suites) {
    const progress = options.progress ? createProgress(suite.name) : silentProgress;
    const t0 = performance.now();
    const body = await suite.run({ quick, python, progress, measureOptions: measureOptionsFor(quick) });
    progress.done();
    const result = {
      name: suite.name,
      title: suite.title,
      description: suite.description,
      tables: body.tables,
      // A chart whose every point was "not measured" (no python3) is left out rather than drawn empty.
      charts: body.charts.filter((c) => c.data.length > 0),
      elapsedMs: Math.round(performance.now() - t0),
    };
    report.suites.push(result);
    options.onSuiteDone?.(result);
  }
  return report;
}
