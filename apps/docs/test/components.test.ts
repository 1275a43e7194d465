import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { afterAll, describe, expect, it } from 'vitest';
import { adaptReport } from '../scripts/prepare.mjs';
import { encodeProgram, playgroundHref } from '../src/components/PlaygroundLink/encode';
import { codeFromChildren, threadsOf, withThreads } from '../src/components/PyExample/code';
import { exampleKey } from '../src/lib/sim-options.mjs';
import precomputeExamples from '../src/remark/precompute-examples';

describe('PyExample code helpers', () => {
  it('reads the program out of the MDX code block elements', () => {
    const children = createElement(
      'pre',
      null,
      createElement('code', { className: 'language-python' }, 'x = 1\nprint(x)\n\n  '),
    );
    expect(codeFromChildren(children)).toBe('x = 1\nprint(x)\n');
  });

  it('finds and edits the THREADS line, and only that line', () => {
    const code = 'THREADS = 2\nMAX_THREADS = 9\nprint(THREADS)\n';
    expect(threadsOf(code)).toBe(2);
    expect(withThreads(code, 1)).toBe('THREADS = 1\nMAX_THREADS = 9\nprint(THREADS)\n');
    expect(threadsOf('print(1)\n')).toBeUndefined();
    expect(withThreads('print(1)\n', 3)).toBe('print(1)\n');
  });
});

describe('playground links', () => {
  it('encodes the program as base64url of UTF-8, as the playground decodes it', () => {
    const program = 'print("héllo ✓")\n';
    const b64 = encodeProgram(program).replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    expect(new TextDecoder().decode(bytes)).toBe(program);
    const href = playgroundHref('https://play.example/', {
      program,
      policy: 'fifo',
      cores: 4,
      switchIntervalMs: 0.1,
      seed: 3,
    });
    const params = new URLSearchParams(href.split('#')[1]);
    expect(Object.fromEntries(params)).toMatchObject({
      runtime: 'sim',
      policy: 'fifo',
      cores: '4',
      interval: '0.1',
      seed: '3',
    });
  });
});

describe('benchmarks page', () => {
  it('keeps external links, maps package links to package pages, unlinks other repository paths', () => {
    const md =
      '# Bench\n\nSee [pool](packages/pool/README.md), [ext](https://x.example) and [raw](bench.json).\n\n![chart](charts/a.svg)\n';
    const copied: string[] = [];
    const copyAsset = (href: string) => {
      copied.push(href);
      return 'a.svg';
    };
    const out = adaptReport(md, { copyAsset });
    expect(out).toBe(
      'See [pool](/packages/pool), [ext](https://x.example) and raw.\n\n![chart](/benchmarks/a.svg)\n',
    );
    expect(copied).toEqual(['charts/a.svg']);
  });
});

describe('precompute-examples remark plugin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gilkit-docs-remark-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const example = (attributes: object[]) => ({
    type: 'root',
    children: [
      {
        type: 'mdxJsxFlowElement',
        name: 'PyExample',
        attributes,
        children: [{ type: 'code', lang: 'python', value: 'print(1)  \n' }],
      },
    ],
  });

  it('hands each example the result stored under its program and settings', () => {
    const resultsFile = join(dir, 'results.json');
    const key = exampleKey({ code: 'print(1)', policy: 'fifo', interval: 0.1 });
    writeFileSync(resultsFile, JSON.stringify({ [key]: { output: '1\n', trace: { version: 1 } } }));
    const tree = example([
      { type: 'mdxJsxAttribute', name: 'policy', value: 'fifo' },
      {
        type: 'mdxJsxAttribute',
        name: 'interval',
        value: { type: 'mdxJsxAttributeValueExpression', value: '0.1' },
      },
    ]);
    precomputeExamples({ resultsFile })(tree as never, { path: 'page.mdx' });
    const attrs = (tree.children[0] as { attributes: { name: string; value: string }[] }).attributes;
    const initial = attrs.find((a) => a.name === 'initialResult');
    expect(JSON.parse(initial?.value ?? 'null')).toEqual({ output: '1\n', trace: { version: 1 } });
  });

  it('fails the build when an example has no precomputed result (settings changed, prepare not run)', () => {
    const resultsFile = join(dir, 'results.json');
    writeFileSync(resultsFile, '{}');
    const tree = example([{ type: 'mdxJsxAttribute', name: 'policy', value: 'legacy' }]);
    expect(() => precomputeExamples({ resultsFile })(tree as never, { path: 'page.mdx' })).toThrow(
      /page\.mdx: no build-time result/,
    );
  });
});
