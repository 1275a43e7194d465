import type { MeasureOptions } from './harness.js';
import type { Progress } from './progress.js';
import type { SuiteResult } from './report.js';

/** What a suite gets to run with. */
export interface SuiteContext {
  /** Small budgets for CI smoke runs: the whole set in under 2 minutes. */
  quick: boolean;
  /** Whether CPython columns should be measured (python3 present and not disabled). */
  python: boolean;
  progress: Progress;
  /** Budgets for `measure()` calls that fit the mode. */
  measureOptions: MeasureOptions;
}

export interface Suite {
  name: string;
  title: string;
  description: string;
  run(ctx: SuiteContext): Promise<Omit<SuiteResult, 'name' | 'title' | 'description' | 'elapsedMs'>>;
}

export function defineSuite(suite: Suite): Suite {
  return suite;
}
