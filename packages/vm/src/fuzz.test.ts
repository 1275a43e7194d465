/**
 * Parser/compiler/eval fuzzing: random token soup and mutated corpus programs must either be
 * rejected with a PyCompileError (SyntaxError/IndentationError/NotImplementedError with a line
 * and column) or run to a clean result under an instruction budget: never a JS exception, a hang,
 * or an internal SystemError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile, PyCompileError, runSource } from './index.js';

const TOKENS = [
  'x',
  'y',
  'f',
  'print',
  'len',
  'range',
  '0',
  '1',
  '2.5',
  '10**30',
  '"s"',
  "f'{x}'",
  'b"b"',
  'None',
  'True',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '.',
  ';',
  '=',
  '==',
  '+',
  '-',
  '*',
  '/',
  '//',
  '%',
  '**',
  '<',
  '>=',
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'elif',
  'while',
  'for',
  'def',
  'return',
  'lambda',
  'try',
  'except',
  'finally',
  'raise',
  'with',
  'yield',
  'global',
  'nonlocal',
  'del',
  'pass',
  'break',
  'continue',
  'import',
  'from',
  'as',
  'class',
  '*',
  '@',
  '\\',
  '#c',
  '\n',
  '\n    ',
  '\n        ',
  ' ',
];

async function checkProgram(src: string): Promise<void> {
  let compiled = false;
  try {
    compile(src, 'fuzz.py');
    compiled = true;
  } catch (e) {
    if (!(e instanceof PyCompileError))
      throw new Error(`compile crashed on ${JSON.stringify(src)}: ${String(e)}`);
    expect(e.lineno).toBeGreaterThanOrEqual(1);
    expect(e.col).toBeGreaterThanOrEqual(1);
  }
  const r = await runSource(src, { filename: 'fuzz.py', maxInstructions: 20_000, recursionLimit: 200 });
  if (compiled && r.exception) {
    expect(r.exception.type, `${JSON.stringify(src)}: ${r.exception.message}`).not.toBe('SystemError');
  }
}

const corpusDir = fileURLToPath(new URL('../conformance/cases/', import.meta.url));
function corpus(): string[] {
  const out: string[] = [];
  try {
    for (const cat of readdirSync(corpusDir)) {
      for (const f of readdirSync(join(corpusDir, cat))) {
        if (f.endsWith('.py')) out.push(readFileSync(join(corpusDir, cat, f), 'utf8'));
      }
    }
  } catch {
    // corpus not present: the token-soup property still runs
  }
  return out.filter((s) => !/threading|time\.sleep|multiprocessing/.test(s)).slice(0, 120);
}

describe('fuzz', () => {
  test('random token sequences compile-or-reject and run cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), async (toks) => {
        await checkProgram(`${toks.join(' ')}\n`);
      }),
      { numRuns: 1500, seed: 20261126 },
    );
  }, 60_000);

  const programs = corpus();
  test.runIf(programs.length > 0)(
    'mutated corpus programs compile-or-reject and run cleanly',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...programs),
          fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 4 }),
          async (src, edits) => {
            let s = src;
            for (const [pos, kind, tok] of edits) {
              const i = s.length ? pos % s.length : 0;
              if (kind === 0) s = s.slice(0, i) + s.slice(i + 1);
              else if (kind === 1) s = s.slice(0, i) + tok + s.slice(i);
              else if (kind === 2) s = s.slice(0, i) + tok + s.slice(i + tok.length);
              else s = s.slice(0, i) + s.slice(i, i + 8) + s.slice(i);
            }
            await checkProgram(s);
          },
        ),
        { numRuns: 600, seed: 7 },
      );
    },
    60_000,
  );

  test('deeply nested input is a SyntaxError, not a stack overflow', () => {
    expect(() => compile(`${'('.repeat(5000)}1${')'.repeat(5000)}\n`)).toThrow(PyCompileError);
    expect(() => compile(`x = ${'-'.repeat(5000)}1\n`)).toThrow(PyCompileError);
    expect(() => compile(`x = ${'not '.repeat(5000)}1\n`)).toThrow(PyCompileError);
  });
});
