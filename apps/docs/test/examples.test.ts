// Every runnable example on the site is also a test: the MiniPy programs inside <PyExample> run
// through the same simulated runtime the page uses (@gilkit/scheduler's runProgram), and must
// finish without a Python exception, print what the page promises (`expect`), and produce a valid
// trace. Changing the vm or the scheduler in a way that breaks a page fails here, not in front of a
// reader.
import { assertTrace, runProgram, type TracePolicy } from '@gilkit/scheduler';
import { describe, expect, it } from 'vitest';
import { withThreads } from '../src/components/PyExample/code';
import { simOptions } from '../src/lib/sim-options.mjs';
import {
  countPyExampleTags,
  extractPyExamples,
  mdxPages,
  type PyExampleBlock,
  readPage,
} from './mdx-examples';

const pages = mdxPages().map((file) => ({ file, text: readPage(file) }));
const examples = pages.flatMap(({ file, text }) => extractPyExamples(text, file));

async function run(ex: PyExampleBlock, code = ex.code) {
  const policy = (ex.policy ?? 'cpython') as TracePolicy;
  const r = await runProgram(code, {
    ...simOptions(policy, ex.cores ?? 2, ex.interval ?? 5, ex.seed),
    runtime: 'sim',
  });
  // Show the Python traceback, not just "expected null".
  expect(r.exception ? (r.exception.traceback ?? r.exception.message) : null).toBeNull();
  assertTrace(r.trace);
  return r;
}

describe('docs examples', () => {
  it('reads every <PyExample> on every page, and each concept page has one', () => {
    for (const { file, text } of pages) {
      expect(extractPyExamples(text, file).length, file).toBe(countPyExampleTags(text));
    }
    const concepts = pages.filter(({ file }) => /concepts\/(?!index)/.test(file));
    expect(concepts.length).toBe(10);
    for (const { file, text } of concepts) expect(countPyExampleTags(text), file).toBeGreaterThan(0);
  });

  it('gives every example an expected output, so a silent failure cannot pass', () => {
    for (const ex of examples) expect(ex.expect, ex.where).toBeTruthy();
  });

  describe.each(examples.map((ex) => [`${ex.where} ${ex.title ?? ''}`, ex] as const))('%s', (_name, ex) => {
    it('runs and prints what the page promises', async () => {
      const r = await run(ex);
      expect(r.output).toContain(ex.expect);
      expect(r.trace.threads.length).toBeGreaterThan(0);
    });

    if (/^THREADS\s*=/m.test(ex.code)) {
      it('also runs with THREADS = 1, as the page invites', async () => {
        const r = await run(ex, withThreads(ex.code, 1));
        expect(r.output).toContain(ex.expect);
      });
    }
  });
});
