import { describe, expect, it } from 'vitest';
import type * as Bench from './index.js';

// Suites start workers from built files, so the smoke run uses the build (turbo builds before
// test); the types come from the sources, so typecheck does not need the build.
const distEntry: string = '../dist/index.js';
const { runSuites, suites, validateReport } = (await import(distEntry)) as typeof Bench;

// The CI smoke run: every suite in --quick mode, without python3 (tests must not need it). It
// asserts shape and sanity, never speed: timing belongs in the report, not in tests.
describe('gilkit-bench --quick smoke run', () => {
  it.each(suites.map((s) => [s.name, s] as const))(
    'suite %s produces a valid report with every gilkit number measured',
    async (_name, suite) => {
      const report = await runSuites([suite], { quick: true, python: false });
      expect(validateReport(report)).toEqual([]);
      const [result] = report.suites;
      expect(result.tables.length).toBeGreaterThan(0);
      for (const table of result.tables) {
        expect(table.rows.length).toBeGreaterThan(0);
        // Every row carries at least one measured number, and no number is NaN.
        for (const row of table.rows) {
          const numbers = row.slice(1).filter((c): c is number => typeof c === 'number');
          expect(numbers.length).toBeGreaterThan(0);
          for (const n of numbers) expect(Number.isNaN(n)).toBe(false);
        }
      }
      for (const chart of result.charts) expect(chart.data.length).toBeGreaterThan(0);
    },
    120_000,
  );
});
