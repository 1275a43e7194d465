import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { renderReportMarkdown } from './format/markdown.js';
import { renderChartSvg } from './format/svg.js';
import type { Report } from './report.js';

export interface OutputPaths {
  json?: string;
  md?: string;
  svg?: string;
  /** The command line to print in the Markdown header. */
  command?: string;
}

/** Writes the requested files; returns the paths written. */
export async function writeOutputs(report: Report, paths: OutputPaths): Promise<string[]> {
  const written: string[] = [];
  const chartPaths = new Map<string, string>();
  if (paths.svg) {
    const dir = resolve(paths.svg);
    await mkdir(dir, { recursive: true });
    for (const chart of report.suites.flatMap((s) => s.charts)) {
      const file = join(dir, `${chart.id}.svg`);
      await writeFile(file, await renderChartSvg(chart));
      written.push(file);
      const from = paths.md ? dirname(resolve(paths.md)) : process.cwd();
      chartPaths.set(chart.id, relative(from, file).split(sep).join('/'));
    }
  }
  if (paths.json) {
    await mkdir(dirname(resolve(paths.json)), { recursive: true });
    await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
    written.push(resolve(paths.json));
  }
  if (paths.md) {
    await mkdir(dirname(resolve(paths.md)), { recursive: true });
    await writeFile(paths.md, renderReportMarkdown(report, { chartPaths, command: paths.command }));
    written.push(resolve(paths.md));
  }
  return written;
}
