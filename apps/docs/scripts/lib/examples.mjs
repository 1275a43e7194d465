// Finding the runnable examples in the MDX pages (Node only). Used by scripts/prepare.mjs and the tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * @typedef {{ where: string, title?: string, policy?: string, interval?: number, cores?: number,
 *   seed?: number, expect?: string, code: string }} PyExampleBlock
 */

/** Every .mdx page under `docsDir` (generated API pages are .md and not included). @param {string} docsDir */
export function mdxPages(docsDir) {
  /** @type {string[]} */
  const out = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.mdx')) out.push(p);
    }
  };
  walk(docsDir);
  return out.sort();
}

/** @param {string} text @param {number} index */
const lineOf = (text, index) => text.slice(0, index).split('\n').length;

/** Props written as name="text" or name={expression}; expressions are kept as source text. @param {string} src */
function parseProps(src) {
  /** @type {Record<string, string>} */
  const props = {};
  for (const m of src.matchAll(/(\w+)=(?:"([^"]*)"|\{([^}]*)\})/g)) props[m[1]] = m[2] ?? m[3];
  return props;
}

/** @param {string | undefined} v */
const num = (v) => (v === undefined ? undefined : Number(v));

/**
 * The `<PyExample>` blocks of one page: a fenced python block directly inside the tag.
 * @param {string} text @param {string} page @param {string} docsDir
 * @returns {PyExampleBlock[]}
 */
export function extractPyExamples(text, page, docsDir) {
  const re = /<PyExample\b([^>]*)>\s*```python[^\n]*\n([\s\S]*?)\n```\s*<\/PyExample>/g;
  return [...text.matchAll(re)].map((m) => {
    const p = parseProps(m[1]);
    return {
      where: `${relative(docsDir, page)}:${lineOf(text, m.index ?? 0)}`,
      title: p.title,
      policy: p.policy,
      interval: num(p.interval),
      cores: num(p.cores),
      seed: num(p.seed),
      expect: p.expect,
      code: `${m[2].replace(/\s+$/, '')}\n`,
    };
  });
}

/** Number of `<PyExample` tags on a page, to catch blocks the extractor could not read. @param {string} text */
export function countPyExampleTags(text) {
  return [...text.matchAll(/<PyExample\b/g)].length;
}

/**
 * The ```jsx live blocks of one page.
 * @param {string} text @param {string} page @param {string} docsDir
 */
export function extractLiveBlocks(text, page, docsDir) {
  return [...text.matchAll(/```jsx live[^\n]*\n([\s\S]*?)\n```/g)].map((m) => ({
    where: `${relative(docsDir, page)}:${lineOf(text, m.index ?? 0)}`,
    code: m[1],
  }));
}

/** @param {string} page */
export function readPage(page) {
  return readFileSync(page, 'utf8');
}
