/**
 * The vm's CPython conformance corpus for threading (packages/vm/conformance/cases/threading, with
 * CPython 3.11's stdout and exception type in expected/), run through both runtimes. Includes the
 * cases the vm's inline default host cannot run (a thread waiting for something the main thread
 * does later). Every policy must give CPython's output: deterministic programs do not depend on
 * how the GIL is scheduled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProgram } from './run-program.js';
import type { TracePolicy } from './trace.js';

const ROOT = fileURLToPath(new URL('../../vm/conformance/', import.meta.url));
const cases = readdirSync(`${ROOT}cases/threading`)
  .filter((f) => f.endsWith('.py'))
  .sort();

function load(name: string) {
  const source = readFileSync(`${ROOT}cases/threading/${name}`, 'utf8');
  const expected = JSON.parse(
    readFileSync(`${ROOT}expected/threading/${name.replace(/\.py$/, '.json')}`, 'utf8'),
  ) as {
    stdout: string;
    exception: string | null;
  };
  return { source, expected };
}

describe('threading conformance on SimRuntime', () => {
  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(20);
  });
  for (const policy of ['cpython', 'legacy', 'free-threaded'] as TracePolicy[]) {
    it.each(cases)(`${policy}: %s prints what CPython prints`, async (name) => {
      const { source, expected } = load(name);
      const r = await runProgram(source, { policy, filename: name, maxInstructions: 20_000_000 });
      expect(r.output).toBe(expected.stdout);
      expect(r.exception?.type ?? null).toBe(expected.exception);
    });
  }
});

describe('threading conformance on WorkerRuntime (real workers)', () => {
  // Every case: threads share one heap, so lambdas, closures and bound methods are valid targets and
  // shared data keeps its types (no copies at GIL hand-offs). free-threaded: the same objects
  // without a GIL (per-object critical sections in the vm).
  for (const policy of ['cpython', 'free-threaded'] as TracePolicy[]) {
    it.each(cases)(`${policy}: %s prints what CPython prints`, { timeout: 30_000 }, async (name) => {
      const { source, expected } = load(name);
      const r = await runProgram(source, { runtime: 'workers', policy, filename: name });
      // stderr in the message: a worker that died would show its fatal error there.
      expect(r.output, r.stderr).toBe(expected.stdout);
      expect(r.exception?.type ?? null).toBe(expected.exception);
    });
  }
});
