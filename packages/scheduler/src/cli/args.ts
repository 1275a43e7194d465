/**
 * Command-line parsing for `gilkit` (kept apart from the entry point so it can be tested without
 * spawning a process). Errors are {@link UsageError}: the entry point prints usage and exits 2.
 */
import { parseArgs } from 'node:util';
import { TRACE_POLICIES, type TracePolicy, type TraceRuntime } from '../trace.js';

export const USAGE = `usage: gilkit run PROGRAM.py [options]
       gilkit dis PROGRAM.py

Runs a MiniPy program under a simulated (default) or real GIL and prints its output, then a stats
table on stderr.

options for run:
  --runtime sim|workers   simulated threads in virtual time (default) or real worker threads
  --policy NAME           ${TRACE_POLICIES.join(', ')} (default cpython)
  --cores N               virtual cores (default 2)
  --switch-interval T     GIL switch interval, e.g. 5ms, 100us, 0.005s (default 5ms)
  --seed N                simulator seed (default 1)
  --trace FILE            write the trace as Chrome Trace Event JSON (open in ui.perfetto.dev)
  --timeline              print an ASCII timeline of the threads
  -h, --help              show this help
`;

/** A bad command line. */
export class UsageError extends Error {
  readonly code = 'ERR_GILKIT_USAGE';
  override name = 'UsageError';
}

export type Command =
  | { command: 'help' }
  | { command: 'dis'; file: string }
  | {
      command: 'run';
      file: string;
      runtime: TraceRuntime;
      policy: TracePolicy;
      cores: number;
      switchIntervalMs: number;
      seed: number;
      trace: string | undefined;
      timeline: boolean;
    };

/** Parses `5ms`, `100us`, `0.1ms`, `0.005s` or a bare number of milliseconds into ms. */
export function parseInterval(text: string): number {
  const m = /^(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|s)?$/.exec(text.trim());
  if (!m)
    throw new UsageError(`--switch-interval: expected a duration like 5ms, 100us or 0.005s, got '${text}'`);
  const v = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const ms = unit === 's' ? v * 1000 : unit === 'ms' ? v : v / 1000;
  if (!(ms > 0)) throw new UsageError('--switch-interval must be greater than 0');
  return ms;
}

function parseIntFlag(name: string, text: string | undefined, dflt: number, min: number): number {
  if (text === undefined) return dflt;
  if (!/^-?\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name}: expected an integer >= ${min}, got '${text}'`);
  }
  return Number(text);
}

/** Parses argv (without `node` and the script). */
export function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        runtime: { type: 'string' },
        policy: { type: 'string' },
        cores: { type: 'string' },
        'switch-interval': { type: 'string' },
        seed: { type: 'string' },
        trace: { type: 'string' },
        timeline: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const [command, file, ...extra] = parsed.positionals;
  if (v.help || command === 'help') return { command: 'help' };
  if (command !== 'run' && command !== 'dis') {
    throw new UsageError(command === undefined ? 'missing command' : `unknown command '${command}'`);
  }
  if (!file) throw new UsageError(`${command}: missing PROGRAM.py`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (command === 'dis') {
    const runOnly = ['runtime', 'policy', 'cores', 'switch-interval', 'seed', 'trace', 'timeline'].find(
      (k) => v[k] !== undefined,
    );
    if (runOnly) throw new UsageError(`dis: --${runOnly} applies to run only`);
    return { command: 'dis', file };
  }
  const runtime = (v.runtime as string | undefined) ?? 'sim';
  if (runtime !== 'sim' && runtime !== 'workers') {
    throw new UsageError(`--runtime: expected sim or workers, got '${runtime}'`);
  }
  const policy = (v.policy as string | undefined) ?? 'cpython';
  if (!TRACE_POLICIES.includes(policy as TracePolicy)) {
    throw new UsageError(`--policy: expected one of ${TRACE_POLICIES.join(', ')}, got '${policy}'`);
  }
  return {
    command: 'run',
    file,
    runtime,
    policy: policy as TracePolicy,
    cores: parseIntFlag('cores', v.cores as string | undefined, 2, 1),
    switchIntervalMs: v['switch-interval'] === undefined ? 5 : parseInterval(v['switch-interval'] as string),
    seed: parseIntFlag('seed', v.seed as string | undefined, 1, 0),
    trace: v.trace as string | undefined,
    timeline: v.timeline === true,
  };
}
