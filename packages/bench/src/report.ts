/**
 * The report model: what every suite returns and every output format renders. The JSON output is
 * this object as is; `schema` is bumped whenever a field changes meaning or disappears.
 */
import type { Environment } from './environment.js';

export const REPORT_SCHEMA = 'gilkit-bench/1' as const;

/** A cell: a number (rendered with the column's precision), text, or null for "not measured". */
export type Cell = number | string | null;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** One or two sentences under the table: what is compared, where the reference numbers come from. */
  note?: string;
}

/** A chart to draw as SVG. `data` rows hold the `x`, `y` and optional `series` fields. */
export interface Chart {
  /** File-name-safe id, unique within the report, e.g. `convoy-latency`. */
  id: string;
  kind: 'bar' | 'line';
  title: string;
  x: string;
  y: string;
  series?: string;
  xLabel?: string;
  yLabel?: string;
  /** Log scale on the y axis (latencies across orders of magnitude). */
  logY?: boolean;
  /** Log scale on the x axis (switch-interval sweeps). */
  logX?: boolean;
  data: Record<string, string | number>[];
}

export interface SuiteResult {
  name: string;
  title: string;
  description: string;
  tables: Table[];
  charts: Chart[];
  /** Wall time the suite took, in milliseconds. */
  elapsedMs: number;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  createdAt: string;
  quick: boolean;
  environment: Environment;
  suites: SuiteResult[];
}

/** Checks that `value` has the report shape; returns the problems found (empty when valid). */
export function validateReport(value: unknown): string[] {
  const problems: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObj(value)) return ['report is not an object'];
  if (value.schema !== REPORT_SCHEMA) problems.push(`schema must be ${REPORT_SCHEMA}`);
  if (typeof value.createdAt !== 'string' || Number.isNaN(Date.parse(value.createdAt))) {
    problems.push('createdAt must be an ISO date string');
  }
  if (typeof value.quick !== 'boolean') problems.push('quick must be a boolean');
  if (!isObj(value.environment)) problems.push('environment must be an object');
  if (!Array.isArray(value.suites)) return [...problems, 'suites must be an array'];
  for (const [i, suite] of (value.suites as unknown[]).entries()) {
    const at = `suites[${i}]`;
    if (!isObj(suite)) {
      problems.push(`${at} is not an object`);
      continue;
    }
    for (const key of ['name', 'title', 'description']) {
      if (typeof suite[key] !== 'string') problems.push(`${at}.${key} must be a string`);
    }
    if (!Array.isArray(suite.tables)) problems.push(`${at}.tables must be an array`);
    else {
      for (const [j, t] of (suite.tables as unknown[]).entries()) {
        if (!isObj(t) || !Array.isArray(t.columns) || !Array.isArray(t.rows)) {
          problems.push(`${at}.tables[${j}] needs columns and rows`);
          continue;
        }
        for (const [k, row] of (t.rows as unknown[]).entries()) {
          if (!Array.isArray(row) || row.length !== t.columns.length) {
            problems.push(`${at}.tables[${j}].rows[${k}] must have one cell per column`);
          } else if (row.some((c) => c !== null && typeof c !== 'number' && typeof c !== 'string')) {
            problems.push(`${at}.tables[${j}].rows[${k}] cells must be numbers, strings or null`);
          }
        }
      }
    }
    if (!Array.isArray(suite.charts)) problems.push(`${at}.charts must be an array`);
    if (typeof suite.elapsedMs !== 'number') problems.push(`${at}.elapsedMs must be a number`);
  }
  return problems;
}
