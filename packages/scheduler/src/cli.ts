#!/usr/bin/env node
/**
 * `gilkit`: run a MiniPy program under a simulated or real GIL, or show its bytecode.
 * Exit codes: 0 ok, 1 the program raised (Python-style traceback on stderr), 2 bad usage or an
 * unreadable file (as `python3` does).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toChromeTrace } from './chrome-trace.js';
import { parseCommand, USAGE, UsageError } from './cli/args.js';
import { DeadlockError, RunLimitError } from './errors.js';
import { runProgram } from './run-program.js';
import { formatStats } from './stats.js';
import { asciiTimeline } from './timeline.js';
import { compileErrorInfo, vmApi } from './vm-api.js';

async function main(argv: string[]): Promise<number> {
  let cmd: ReturnType<typeof parseCommand>;
  try {
    cmd = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`gilkit: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (cmd.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let source: string;
  try {
    source = readFileSync(cmd.file, 'utf8');
  } catch (e) {
    process.stderr.write(
      `gilkit: can't open file '${cmd.file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`,
    );
    return 2;
  }
  if (cmd.command === 'dis') {
    const vm = vmApi();
    try {
      process.stdout.write(vm.dis(vm.compile(source, cmd.file)));
    } catch (e) {
      const info = compileErrorInfo(e, source);
      if (!info) throw e;
      process.stderr.write(info.traceback);
      return 1;
    }
    return 0;
  }
  try {
    const r = await runProgram(source, {
      runtime: cmd.runtime,
      policy: cmd.policy,
      cores: cmd.cores,
      switchIntervalMs: cmd.switchIntervalMs,
      seed: cmd.seed,
      filename: cmd.file,
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
    if (r.exception) process.stderr.write(r.exception.traceback);
    if (cmd.trace) writeFileSync(cmd.trace, JSON.stringify(toChromeTrace(r.trace)));
    if (cmd.timeline) process.stderr.write(`\n${asciiTimeline(r.trace)}`);
    // a program that never ran (it did not compile) has no statistics worth a table
    if (r.trace.threads.length > 0) {
      process.stderr.write(
        `\n[${r.trace.runtime}, ${r.trace.policy}, ${r.trace.cores} cores, switch interval ${r.trace.switchIntervalMs} ms]\n${formatStats(r.stats)}`,
      );
    }
    return r.exception ? 1 : 0;
  } catch (e) {
    if (e instanceof RunLimitError || e instanceof DeadlockError) {
      process.stderr.write(`gilkit: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`gilkit: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  },
);
