/**
 * CPython conformance: every program under `conformance/cases/<category>/<name>.py` runs through
 * MiniPy and must print exactly what `python3` printed (stdout) and end with the same uncaught
 * exception type (or none). Expected results live in `conformance/expected/` and are regenerated
 * with `node scripts/regen-conformance.mjs`; this test never needs python3.
 *
 * Tracebacks and exception messages of uncaught errors are not compared (CPython prints them to
 * stderr); messages of caught exceptions are, because the cases print them to stdout.
 *
 * Set `CONFORMANCE_REPORT=/path/file.json` to also write every case's outcome to a file, which
 * `scripts/conformance-report.mjs` turns into a grouped failure list.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { runSource } from './index.js';

const ROOT = fileURLToPath(new URL('../conformance/', import.meta.url));
const CASES = join(ROOT, 'cases');
const EXPECTED = join(ROOT, 'expected');

/**
 * Upper bound on bytecode instructions per case. The largest case needs well under a million; the
 * bound turns a runaway loop (a MiniPy bug) into a fast failure instead of a hung test file.
 */
const MAX_INSTRUCTIONS = 20_000_000;
/** Backstop for hangs the instruction budget cannot see (e.g. a thread join that never resolves). */
const CASE_TIMEOUT_MS = 10_000;

interface Expected {
  stdout: string;
  exception: string | null;
}

interface Outcome {
  id: string;
  pass: boolean;
  /** Listed in known-failures.txt. */
  known: boolean;
  expected: Expected;
  got: { stdout: string; exception: string | null; message: string | null } | null;
  crash: string | null;
}

function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, ext));
    else if (entry.name.endsWith(ext)) out.push(full);
  }
  return out.sort();
}

/**
 * Cases whose first line is this marker need threads that really interleave (a thread waiting for
 * something the main thread does later). The vm's default host runs a started thread inline to
 * completion, so these are skipped here; a concurrent runtime (the scheduler's) can run them.
 */
const CONCURRENT_MARKER = '# conformance: needs-concurrent-runtime';

/**
 * `conformance/known-failures.txt`: ids of cases MiniPy does not pass yet, one per line with the
 * reason after `#`. They run as `test.fails`, so the suite stays green while each one still fails,
 * and turns red as soon as the vm fixes one (then delete its line).
 */
function readKnownFailures(): Set<string> {
  let text = '';
  try {
    text = readFileSync(join(ROOT, 'known-failures.txt'), 'utf8');
  } catch {
    return new Set();
  }
  const ids = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line.length > 0);
  return new Set(ids);
}

const known = readKnownFailures();
const all = listFiles(CASES, '.py').map((file) => {
  const id = relative(CASES, file).replace(/\\/g, '/').replace(/\.py$/, '');
  return { id, file, concurrent: readFileSync(file, 'utf8').startsWith(CONCURRENT_MARKER) };
});
const cases = all.filter((c) => !c.concurrent && !known.has(c.id));
const knownFailing = all.filter((c) => !c.concurrent && known.has(c.id));
const concurrentOnly = all.filter((c) => c.concurrent);

const outcomes: Outcome[] = [];

afterAll(() => {
  const reportPath = process.env.CONFORMANCE_REPORT;
  if (reportPath) writeFileSync(reportPath, `${JSON.stringify(outcomes, null, 2)}\n`);
});

async function runCase({ id, file }: { id: string; file: string }, known = false): Promise<void> {
  const source = readFileSync(file, 'utf8');
  const expected = JSON.parse(readFileSync(join(EXPECTED, `${id}.json`), 'utf8')) as Expected;
  const outcome: Outcome = { id, pass: false, known, expected, got: null, crash: null };
  outcomes.push(outcome);
  let written = '';
  try {
    const result = await runSource(source, {
      filename: `${id}.py`,
      stdout: (text: string) => {
        written += text;
      },
      maxInstructions: MAX_INSTRUCTIONS,
    });
    outcome.got = {
      stdout: result.output,
      exception: result.exception?.type ?? null,
      message: result.exception?.message ?? null,
    };
  } catch (err) {
    // A JS exception out of runSource is a vm bug, never a Python-level outcome.
    outcome.crash = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    outcome.got = { stdout: written, exception: null, message: null };
  }
  expect(outcome.crash).toBeNull();
  expect({ stdout: outcome.got.stdout, exception: outcome.got.exception }).toEqual(expected);
  outcome.pass = true;
}

describe('CPython conformance corpus', () => {
  test('the corpus is present and every case has an expected result', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const missing = all.filter(({ id }) => {
      try {
        readFileSync(join(EXPECTED, `${id}.json`));
        return false;
      } catch {
        return true;
      }
    });
    expect(missing.map((c) => c.id)).toEqual([]);
    // A stale expected file (its case was renamed or removed) would hide a lost case.
    const ids = new Set(all.map((c) => c.id));
    const orphans = listFiles(EXPECTED, '.json')
      .map((f) =>
        relative(EXPECTED, f)
          .replace(/\\/g, '/')
          .replace(/\.json$/, ''),
      )
      .filter((id) => !ids.has(id));
    expect(orphans).toEqual([]);
    const unknownIds = [...known].filter((id) => !ids.has(id));
    expect(unknownIds).toEqual([]);
  });

  test.each(cases)('$id', (c) => runCase(c), CASE_TIMEOUT_MS);

  for (const c of knownFailing) {
    test.fails(
      `${c.id} (known failure, see conformance/known-failures.txt)`,
      () => runCase(c, true),
      CASE_TIMEOUT_MS,
    );
  }

  // Listed so the run shows them; a concurrent runtime can run them against the same expected results.
  test.skip.each(concurrentOnly)('$id (needs a concurrent runtime)', () => {});
});
