// Runs before each build (and `docusaurus start`):
// 1. writes docs/benchmarks.md: the repository's BENCHMARKS.md (written by the @gilkit/bench report)
//    when it exists, otherwise a page that says the report is pending. Numbers on that page only
//    ever come from the report file: nothing is invented here;
// 2. runs every <PyExample> program on the simulated runtime, with the settings its page gives it,
//    and writes the results to .docusaurus-examples/results.json, which the precompute-examples
//    remark plugin hands to the pages. A program that raises fails the build.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runProgram } from '@gilkit/scheduler';
import { exampleKey, simOptions } from '../src/lib/sim-options.mjs';
import { extractPyExamples, mdxPages, readPage } from './lib/examples.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const site = resolve(here, '..');
const repo = resolve(site, '../..');
// GILKIT_BENCHMARKS_MD points at another report (to preview one before committing it).
const source = resolve(repo, process.env.GILKIT_BENCHMARKS_MD ?? 'BENCHMARKS.md');
const reportDir = dirname(source);
const target = resolve(site, 'docs/benchmarks.md');
const assets = resolve(site, 'static/benchmarks');

const frontMatter = (extra) =>
  ['---', 'id: benchmarks', 'title: Benchmarks', 'slug: /benchmarks', ...extra, '---', ''].join('\n');

/**
 * Rewrites the report's links for the site: local images are copied under static/benchmarks/,
 * links to package directories go to the package pages, other repository-relative links keep
 * their text only (the site cannot serve repository files, and a dead link would fail the build).
 */
export function adaptReport(markdown, { copyAsset } = {}) {
  let body = markdown.replace(/^#\s+[^\n]*\n+/, ''); // the page title comes from the front matter
  body = body.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, href) => {
    if (/^[a-z]+:/i.test(href)) return whole;
    const name = copyAsset ? copyAsset(href) : basename(href);
    return `![${alt}](/benchmarks/${name})`;
  });
  body = body.replace(/(?<!!)\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, text, href) => {
    if (/^([a-z]+:|#)/i.test(href)) return whole;
    const pkg = /^(?:\.\/)?packages\/([a-z]+)\/?(?:README\.md)?$/.exec(href);
    if (pkg) return `[${text}](/packages/${pkg[1]})`;
    return text;
  });
  return body;
}

/** Runs every example once; throws naming the page and the traceback if one raises. */
export async function precomputeExamples(docsDir, outFile) {
  const results = {};
  const started = performance.now();
  let count = 0;
  for (const page of mdxPages(docsDir)) {
    for (const ex of extractPyExamples(readPage(page), page, docsDir)) {
      const key = exampleKey(ex);
      if (key in results) continue;
      const r = await runProgram(ex.code, {
        ...simOptions(ex.policy ?? 'cpython', ex.cores ?? 2, ex.interval ?? 5, ex.seed ?? 1),
        runtime: 'sim',
      });
      if (r.exception) throw new Error(`example at ${ex.where} raised:\n${r.exception.traceback}`);
      results[key] = { output: r.output, trace: r.trace };
      count++;
    }
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(results));
  console.log(`[docs] ran ${count} examples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  rmSync(assets, { recursive: true, force: true });
  if (existsSync(source)) {
    const copyAsset = (href) => {
      const file = resolve(reportDir, href);
      if (!existsSync(file)) throw new Error(`BENCHMARKS.md refers to ${href}, which does not exist`);
      mkdirSync(assets, { recursive: true });
      copyFileSync(file, resolve(assets, basename(file)));
      return basename(file);
    };
    const body = adaptReport(readFileSync(source, 'utf8'), { copyAsset });
    writeFileSync(
      target,
      `${frontMatter(['description: Measured results of the gilkit benchmark suite, with CPython side by side.'])}
:::note[Where these numbers come from]
This page is the repository's \`BENCHMARKS.md\`, written by \`@gilkit/bench\` on the machine named in
the report. Ratios are against a baseline measured in the same run. Re-run the suite to refresh it.
:::

${body}`,
    );
    console.log(`[docs] benchmarks page from ${source}`);
  } else {
    writeFileSync(
      target,
      `${frontMatter(['description: The gilkit benchmark report (pending).'])}
:::info[Pending]
The benchmark report has not been produced yet: there is no \`BENCHMARKS.md\` at the repository
root. This page is rebuilt from that file on every docs build, so it fills in as soon as
\`@gilkit/bench\` writes it. No numbers are shown until then: the docs do not invent results.
:::

## What the report will contain

The [bench package](/packages/bench) runs the standard experiments and writes the report:

- **Countdown** with 1, 2 and 4 threads for each GIL policy (the CPU-bound case of
  [thread serialization](/concepts/thread-serialization)).
- **Pool speedup** of \`@gilkit/pool\` against sequential work ([multiprocessing](/concepts/multiprocessing)).
- **I/O latency next to a CPU-bound thread** across switch intervals ([the convoy effect](/concepts/io-and-convoy)).
- **Lock and refcount micro-costs** against raw \`Atomics\` operations.

Every result is a ratio against a baseline measured in the same run, with CPython's numbers beside
gilkit's when \`python3\` is on the machine.

## CPython on the reference machine

For orientation, the fact sheet this project is built against records these CPython 3.11.7
measurements on its 2-core reference machine (these are CPython's numbers, not gilkit's):

| experiment | result |
|---|---|
| countdown, 40M decrements, sequential | 0.69 s (about 17 ns per loop iteration) |
| same work in 2 threads / 4 threads | 1.03x / 1.02x the sequential time (no speedup) |
| same work in \`multiprocessing.Pool(2)\` | 0.54x the sequential time (1.86x speedup) |
| socketpair echo round trip, idle | 63 µs |
| same, next to one CPU-bound thread, switch interval 5 ms / 1 ms / 0.1 ms | 1518 / 317 / 69 µs |
`,
    );
    console.log('[docs] no BENCHMARKS.md at the repository root: benchmarks page says pending');
  }
  await precomputeExamples(resolve(site, 'docs'), resolve(site, '.docusaurus-examples/results.json'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
