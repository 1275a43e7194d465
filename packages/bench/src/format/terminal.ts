import type { Report, SuiteResult, Table } from '../report.js';
import { formatCell } from './cells.js';

const numeric = (s: string): boolean => /^[-+]?[\d,.]+(x|%| ?[a-zµ/]+)?$/.test(s);

/** A plain-text table with aligned columns (numbers right-aligned). */
export function renderTextTable(table: Table): string {
  const cells = table.rows.map((row) => row.map(formatCell));
  const widths = table.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (parts: string[], isHeader: boolean) =>
    parts
      .map((p, i) => (!isHeader && numeric(p) ? p.padStart(widths[i]) : p.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [table.title, line(table.columns, true), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of cells) out.push(line(row, false));
  if (table.note) out.push(table.note);
  return out.join('\n');
}

export function renderSuiteText(suite: SuiteResult): string {
  const head = `== ${suite.name}: ${suite.title} (${(suite.elapsedMs / 1000).toFixed(1)} s)\n${suite.description}`;
  return [head, ...suite.tables.map(renderTextTable)].join('\n\n');
}

export function renderReportText(report: Report): string {
  const env = report.environment;
  const head = `gilkit-bench ${report.quick ? '(quick) ' : ''}on ${env.cpuModel}, ${env.cores} cores, Node ${env.node}, ${env.python ?? 'python3 not available'}`;
  return [head, ...report.suites.map(renderSuiteText)].join('\n\n');
}
