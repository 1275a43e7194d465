import { describe, expect, it } from 'vitest';
import { formatCell, ratio } from './format/cells.js';
import { renderMarkdownTable, renderReportMarkdown } from './format/markdown.js';
import { renderChartSvg } from './format/svg.js';
import { renderTextTable } from './format/terminal.js';
import { REPORT_SCHEMA, type Report, validateReport } from './report.js';

const report: Report = {
  schema: REPORT_SCHEMA,
  createdAt: '2026-11-26T06:00:00.000Z',
  quick: true,
  environment: {
    node: 'v20.20.2',
    platform: 'Linux 6',
    arch: 'x64',
    cpuModel: 'Test CPU',
    cores: 2,
    memoryGiB: 24,
    python: null,
  },
  suites: [
    {
      name: 'demo',
      title: 'A demo suite',
      description: 'What it compares.',
      elapsedMs: 12,
      tables: [
        {
          title: 'Ratios',
          columns: ['case', 'gilkit', 'CPython'],
          rows: [
            ['2 threads', 1.031, null],
            ['a|b', 12345, 0.5],
          ],
          note: 'Lower is better.',
        },
      ],
      charts: [
        {
          id: 'demo-bars',
          kind: 'bar',
          title: 'Ratios',
          x: 'case',
          y: 'ratio',
          series: 'impl',
          data: [
            { case: '1 thread', impl: 'gilkit', ratio: 1 },
            { case: '2 threads', impl: 'gilkit', ratio: 1.03 },
            { case: '2 threads', impl: 'CPython', ratio: 1.02 },
          ],
        },
      ],
    },
  ],
};

describe('report', () => {
  it('accepts a well-formed report and keeps its JSON round trip valid', () => {
    expect(validateReport(report)).toEqual([]);
    expect(validateReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it('names what is wrong in a malformed report', () => {
    const bad = JSON.parse(JSON.stringify(report));
    bad.schema = 'gilkit-bench/0';
    bad.suites[0].tables[0].rows[0] = ['only one cell'];
    bad.suites[0].title = 3;
    expect(validateReport(bad)).toEqual([
      'schema must be gilkit-bench/1',
      'suites[0].title must be a string',
      'suites[0].tables[0].rows[0] must have one cell per column',
    ]);
    expect(validateReport(null)).toEqual(['report is not an object']);
  });

  it('formats cells: null is "not measured", numbers get 3 significant digits', () => {
    expect(formatCell(null)).toBe('not measured');
    expect(formatCell(1.0314)).toBe('1.03');
    expect(formatCell(12.345)).toBe('12.3');
    expect(formatCell(12345)).toBe('12,345');
    expect(formatCell(0.012345)).toBe('0.0123');
    expect(ratio(1.5)).toBe('1.50x');
    expect(ratio(null)).toBe('not measured');
  });

  it('renders aligned text and escaped Markdown tables', () => {
    const text = renderTextTable(report.suites[0].tables[0]);
    expect(text.split('\n')[1]).toBe('case       gilkit  CPython');
    expect(text).toContain('not measured');
    const md = renderMarkdownTable(report.suites[0].tables[0]);
    expect(md).toContain('| case | gilkit | CPython |');
    expect(md).toContain('| a\\|b | 12,345 | 0.500 |');
  });

  it('renders the whole report as Markdown with machine facts and chart links', () => {
    const md = renderReportMarkdown(report, { chartPaths: new Map([['demo-bars', 'charts/demo-bars.svg']]) });
    expect(md).toContain('| CPU | Test CPU |');
    expect(md).toContain('not available: CPython columns say "not measured"');
    expect(md).toContain('## demo: A demo suite');
    expect(md).toContain('![Ratios](charts/demo-bars.svg)');
  });

  it('draws an SVG chart', async () => {
    const svg = await renderChartSvg(report.suites[0].charts[0]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('2 threads');
  });
});
