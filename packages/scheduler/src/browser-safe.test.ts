/**
 * The main entry must bundle for a browser: no module reachable from dist/index.js may import a
 * `node:` builtin (the playground and docs load it in a page or a Web Worker). Node-only code lives
 * behind `./workers` and the CLI.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const NODE_BUILTINS = /^(node:|fs$|path$|os$|child_process$|worker_threads$|util$)/;

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
      (m) => m[1],
    );
    specs.push(...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]));
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) visit(resolve(dirname(file), s));
  };
  visit(entry);
  return seen;
}

describe('browser safety', () => {
  it('the main entry reaches no node: module (static imports)', () => {
    const graph = reachable(`${DIST}index.js`);
    expect(graph.size).toBeGreaterThan(10);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs.filter((s) => NODE_BUILTINS.test(s)).map((s) => `${file} -> ${s}`),
    );
    expect(offenders).toEqual([]);
  });
  it('the browser build of the workers entry reaches no node: module either', () => {
    for (const entry of ['workers/browser.js', 'workers/worker-web.js']) {
      const graph = reachable(`${DIST}${entry}`);
      expect(graph.size).toBeGreaterThan(5);
      const offenders = [...graph].flatMap(([file, specs]) =>
        specs.filter((s) => NODE_BUILTINS.test(s)).map((s) => `${file} -> ${s}`),
      );
      expect(offenders).toEqual([]);
    }
  });
  it('the workers entry does use worker_threads (so the check above can fail)', () => {
    const graph = reachable(`${DIST}workers/index.js`);
    expect([...graph.values()].flat()).toContain('node:worker_threads');
  });
});
