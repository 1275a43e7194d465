import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface CliOptions {
  suites: string[];
  quick: boolean;
  python: boolean;
  json?: string;
  md?: string;
  svg?: string;
  list: boolean;
  help: boolean;
}

export const USAGE = `usage: gilkit-bench [suite ...] [--quick] [--json out.json] [--md out.md] [--svg dir]
                    [--no-python] [--list] [--help]

  suite        one or more suite names (default: all); --list shows them
  --quick      small budgets: the whole set in under 2 minutes (CI smoke run)
  --json FILE  write the report as JSON (schema gilkit-bench/1)
  --md FILE    write the report as Markdown (BENCHMARKS.md is made this way)
  --svg DIR    write one SVG chart per chart id into DIR
  --no-python  do not run CPython for the side-by-side columns`;

/** Parses argv (without node and script); throws UsageError on anything it does not understand. */
export function parseCliArgs(argv: readonly string[], known: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'string' },
        md: { type: 'string' },
        svg: { type: 'string' },
        'no-python': { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const unknown = parsed.positionals.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown suite${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (suites: ${known.join(', ')})`,
    );
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  return {
    suites: parsed.positionals.length > 0 ? [...new Set(parsed.positionals)] : [...known],
    quick: v.quick === true,
    python: v['no-python'] !== true,
    json: v.json as string | undefined,
    md: v.md as string | undefined,
    svg: v.svg as string | undefined,
    list: v.list === true,
    help: v.help === true,
  };
}
