/**
 * Remark plugin: gives every `<PyExample>` the result of running its program, as computed by
 * `scripts/prepare.mjs` just before the build (same simulated runtime, same settings as the
 * page's Run button), in the `initialResult` attribute. Readers see each example's output and
 * timeline before pressing anything. Nothing here is hand-written: prepare.mjs recomputes every
 * result on each build, and a program that fails there fails the build.
 *
 * The runs happen in prepare.mjs, not here, because this module is loaded through the config's
 * TypeScript loader (jiti), which cannot import the ESM-only `@gilkit/scheduler`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exampleKey } from '../lib/sim-options.mjs';

/** Written by scripts/prepare.mjs. */
export const RESULTS_FILE = resolve(__dirname, '../../.docusaurus-examples/results.json');

interface Attribute {
  type: string;
  name?: string;
  value?: string | { value: string } | null;
}

interface Node {
  type: string;
  name?: string | null;
  value?: string;
  attributes?: Attribute[];
  children?: Node[];
}

function attr(node: Node, name: string): string | undefined {
  const a = node.attributes?.find((x) => x.type === 'mdxJsxAttribute' && x.name === name);
  if (a?.value === undefined || a.value === null) return undefined;
  return typeof a.value === 'string' ? a.value : a.value.value;
}

function collect(node: Node, out: Node[]): void {
  if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name === 'PyExample') {
    out.push(node);
  }
  for (const child of node.children ?? []) collect(child, out);
}

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export default function precomputeExamples(options: { resultsFile?: string } = {}) {
  const resultsFile = options.resultsFile ?? RESULTS_FILE;
  return (tree: Node, file: { path?: string }) => {
    const examples: Node[] = [];
    collect(tree, examples);
    if (examples.length === 0) return;
    // Read on every file: in `docusaurus start` prepare.mjs may have rewritten it.
    let results: Record<string, unknown>;
    try {
      results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    } catch {
      throw new Error(`${resultsFile} is missing: run \`node scripts/prepare.mjs\` (npm run build does)`);
    }
    for (const node of examples) {
      const code = node.children?.find((c) => c.type === 'code')?.value;
      if (code === undefined) throw new Error(`${file.path}: <PyExample> without a code block`);
      const key = exampleKey({
        code,
        policy: attr(node, 'policy'),
        cores: num(attr(node, 'cores')),
        interval: num(attr(node, 'interval')),
        seed: num(attr(node, 'seed')),
      });
      const result = results[key];
      if (result === undefined) {
        throw new Error(
          `${file.path}: no build-time result for a <PyExample>: run \`node scripts/prepare.mjs\``,
        );
      }
      node.attributes = [
        ...(node.attributes ?? []).filter((a) => a.name !== 'initialResult'),
        { type: 'mdxJsxAttribute', name: 'initialResult', value: JSON.stringify(result) },
      ];
    }
  };
}
