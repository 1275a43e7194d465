#!/usr/bin/env node
// Regenerates packages/vm/conformance/expected/** from CPython, the source of truth for MiniPy.
//
// Usage: node packages/vm/scripts/regen-conformance.mjs [filter...]
//   filter: optional substrings of "<category>/<name>"; only matching cases are regenerated.
//
// Each case runs twice, under two different PYTHONHASHSEED values: a case whose output differs
// between the runs depends on hash order or other nondeterminism and is rejected, because its
// expected output could not be reproduced by anyone.
import { spawnSync } from 'node:child_process';
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
  const res = spawnSync(PYTHON, ['-X', 'utf8', '-c', RUNNER, file], {
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    env: { ...process.env, PYTHONHASHSEED: String(hashSeed), PYTHONIOENCODING: 'utf-8' },
  });
  if (res.error) throw new Error(`${file}: ${res.error.message}`);
  const match = /@@EXCEPTION@@ (\S+) ([\d.]+)\n$/.exec(res.stderr);
  if (!match) throw new Error(`${file}: runner did not finish (status ${res.status})\n${res.stderr}`);
  return {
    stdout: res.stdout,
    exception: match[1] === '-' ? null : match[1],
    elapsedMs: Number(match[2]),
    stderr: res.stderr,
  };
}

const filters = process.argv.slice(2);
const version = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (!version.startsWith('Python 3.11')) {
  console.warn(`warning: expected outputs were generated with Python 3.11, this is ${version || 'missing'}`);
}

let written = 0;
let failed = 0;
const ids = new Set();
for (const file of listFiles(casesDir, '.py')) {
  const id = relative(casesDir, file).replace(/\\/g, '/').replace(/\.py$/, '');
  ids.add(id);
  if (filters.length > 0 && !filters.some((f) => id.includes(f))) continue;
  try {
    const a = runOnce(file, 0);
    const b = runOnce(file, 12345);
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
