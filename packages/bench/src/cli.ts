#!/usr/bin/env node
/** `gilkit-bench`: runs benchmark suites and prints/writes the report. Exit 2 on usage errors. */
import { parseCliArgs, USAGE } from './cli-args.js';
import { UsageError } from './errors.js';
import { renderReportText, renderSuiteText } from './format/terminal.js';
import { writeOutputs } from './outputs.js';
import { runSuites } from './runner.js';
import { suites } from './suites/index.js';

async function main(argv: string[]): Promise<number> {
  const names = suites.map((s) => s.name);
  let options: ReturnType<typeof parseCliArgs>;
  try {
    options = parseCliArgs(argv, names);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`gilkit-bench: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.list) {
    for (const s of suites) process.stdout.write(`${s.name.padEnd(10)} ${s.title}\n`);
    return 0;
  }
  const selected = suites.filter((s) => options.suites.includes(s.name));
  let first = true;
  const report = await runSuites(selected, {
    quick: options.quick,
    python: options.python,
    progress: true,
    onSuiteDone(result) {
      process.stdout.write(`${first ? '' : '\n'}${renderSuiteText(result)}\n`);
      first = false;
    },
  });
  if (selected.length === 0) process.stdout.write(`${renderReportText(report)}\n`);
  const written = await writeOutputs(report, {
    json: options.json,
    md: options.md,
    svg: options.svg,
    command: `gilkit-bench ${argv.join(' ')}`.trim(),
  });
  for (const file of written) process.stderr.write(`wrote ${file}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `gilkit-bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
