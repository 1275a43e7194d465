import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const siteDir = resolve(__dirname, '..');
export const docsDir = join(siteDir, 'docs');

/** One `<PyExample>` as written in an MDX page. */
export interface PyExampleBlock {
  /** Page path relative to docs/, and the line of the `<PyExample` tag (for failure messages). */
  where: string;
  title?: string;
  policy?: string;
  interval?: number;
  cores?: number;
  seed?: number;
  expect?: string;
  /** The program, exactly as the component gets it (trailing whitespace trimmed, one newline). */
  code: string;
}

/** One ```jsx live block. */
export interface LiveBlock {
  where: string;
  code: string;
}

/** Every handwritten .mdx page (generated API pages excluded). */
export function mdxPages(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.mdx')) out.push(p);
    }
  };
  walk(docsDir);
  return out.sort();
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** Props written as name="text" or name={expression}. Expressions are kept as their source text. */
function parseProps(src: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const m of src.matchAll(/(\w+)=(?:"([^"]*)"|\{([^}]*)\})/g)) props[m[1]] = m[2] ?? m[3];
  return props;
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

/** The `<PyExample>` blocks of one page: a fenced python block directly inside the tag. */
export function extractPyExamples(text: string, page: string): PyExampleBlock[] {
  const blocks: PyExampleBlock[] = [];
  const re = /<PyExample\b([^>]*)>\s*```python[^\n]*\n([\s\S]*?)\n```\s*<\/PyExample>/g;
  for (const m of text.matchAll(re)) {
    const p = parseProps(m[1]);
    blocks.push({
      where: `${relative(docsDir, page)}:${lineOf(text, m.index)}`,
      title: p.title,
      policy: p.policy,
      interval: num(p.interval),
      cores: num(p.cores),
      seed: num(p.seed),
      expect: p.expect,
      code: `${m[2].replace(/\s+$/, '')}\n`,
    });
  }
  return blocks;
}

/** Number of `<PyExample` tags on a page, to catch blocks the extractor could not read. */
export function countPyExampleTags(text: string): number {
  return [...text.matchAll(/<PyExample\b/g)].length;
}

/** The ```jsx live blocks of one page. */
export function extractLiveBlocks(text: string, page: string): LiveBlock[] {
  return [...text.matchAll(/```jsx live[^\n]*\n([\s\S]*?)\n```/g)].map((m) => ({
    where: `${relative(docsDir, page)}:${lineOf(text, m.index)}`,
    code: m[1],
  }));
}

export function readPage(page: string): string {
  return readFileSync(page, 'utf8');
}
