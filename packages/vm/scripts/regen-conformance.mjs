#!/usr/bin/env node
// Regenerates packages/vm/conformance/expected/** from CPython, the source of truth for MiniPy.
//
// Usage: node packages/vm/scripts/regen-conformance.mjs [--jobs=N] [filter...]
//   filter: optional substrings of "<category>/<name>"; only matching cases are regenerated.
//   --jobs: python3 processes run at once (default 2).
//
// Each case runs twice, under two different PYTHONHASHSEED values: a case whose output differs
// between the runs depends on hash order or other nondeterminism and is rejected, because its
// expected output could not be reproduced by anyone.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'conformance');
const casesDir = join(root, 'cases');
const expectedDir = join(root, 'expected');
const PYTHON = process.env.PYTHON ?? 'python3';
const TIMEOUT_MS = 10_000;
const SLOW_MS = 50;

// Runs the case as `__main__` and reports the uncaught exception's type name on a marker line of
// stderr, so the type does not have to be parsed out of a traceback.
const RUNNER = `
import runpy, sys, time, traceback
exc = None
start = time.perf_counter()
try:
    # run_path installs a real __main__ module, so multiprocessing can pickle the case's functions.
    runpy.run_path(sys.argv[1], run_name="__main__")
except BaseException as e:
    exc = type(e).__name__
    elapsed_ms = (time.perf_counter() - start) * 1000
    traceback.print_exc()
else:
    elapsed_ms = (time.perf_counter() - start) * 1000
sys.stdout.flush()
sys.stderr.write("\\n@@EXCEPTION@@ %s %.1f\\n" % (exc or "-", elapsed_ms))
`;

function listFiles(dir, ext) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, ext));
    else if (entry.name.endsWith(ext)) out.push(full);
  }
  return out.sort();
}

function runOnce(file, hashSeed) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, PYTHONHASHSEED: String(hashSeed), PYTHONIOENCODING: 'utf-8' };
    execFile(
      PYTHON,
      ['-X', 'utf8', '-c', RUNNER, file],
      { encoding: 'utf8', timeout: TIMEOUT_MS, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // A nonzero exit is fine (the runner reports exceptions itself); a missing marker is not.
        const match = /@@EXCEPTION@@ (\S+) ([\d.]+)\n$/.exec(stderr);
        if (!match) {
          reject(new Error(`${file}: runner did not finish (${error?.message ?? 'no marker'})\n${stderr}`));
          return;
        }
        resolve({ stdout, exception: match[1] === '-' ? null : match[1], elapsedMs: Number(match[2]) });
      },
    );
  });
}

const args = process.argv.slice(2);
const jobsArg = args.find((a) => a.startsWith('--jobs='));
const JOBS = Math.max(1, Number(jobsArg?.slice('--jobs='.length) ?? 2) || 1);
const filters = args.filter((a) => !a.startsWith('--'));
const version = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!version.startsWith('Python 3.11')) {
  console.warn(`warning: expected outputs were generated with Python 3.11, this is ${version || 'missing'}`);
}

let written = 0;
let failed = 0;
const ids = new Set();
const todo = [];
for (const file of listFiles(casesDir, '.py')) {
  const id = relative(casesDir, file).replace(/\\/g, '/').replace(/\.py$/, '');
  ids.add(id);
  if (filters.length === 0 || filters.some((f) => id.includes(f))) todo.push({ id, file });
}

async function regen({ id, file }) {
  try {
    const a = await runOnce(file, 0);
    const b = await runOnce(file, 12345);
    if (a.stdout !== b.stdout || a.exception !== b.exception) {
      throw new Error(`${id}: nondeterministic output (differs between two runs)`);
    }
    // Cases must stay cheap so the whole corpus runs in seconds under MiniPy too.
    const ms = Math.min(a.elapsedMs, b.elapsedMs);
    if (ms > SLOW_MS)
      console.warn(`warning: ${id} took ${ms.toFixed(1)} ms in CPython (limit ${SLOW_MS} ms)`);
    const target = join(expectedDir, `${id}.json`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, `${JSON.stringify({ stdout: a.stdout, exception: a.exception }, null, 2)}\n`);
    written++;
    if (process.env.VERBOSE && a.exception) console.log(`${id}: ${a.exception}`);
  } catch (err) {
    failed++;
    console.error(String(err instanceof Error ? err.message : err));
  }
}

let next = 0;
await Promise.all(
  Array.from({ length: JOBS }, async () => {
    while (next < todo.length) await regen(todo[next++]);
  }),
);
// A full run also drops expected results whose case was renamed or removed.
let removed = 0;
if (filters.length === 0) {
  for (const file of listFiles(expectedDir, '.json')) {
    const id = relative(expectedDir, file)
      .replace(/\\/g, '/')
      .replace(/\.json$/, '');
    if (!ids.has(id)) {
      rmSync(file);
      removed++;
    }
  }
}
console.log(`${version}: wrote ${written} expected file(s), removed ${removed} stale, ${failed} failure(s)`);
process.exitCode = failed > 0 ? 1 : 0;
