// The Node examples on the package pages (```js title="NAME.mjs" fences) are real programs: each
// is written to .example-runs/ inside the site (so `@gilkit/*` resolve from node_modules as they
// would for a user) and run with node. It must exit 0 and print something. A page whose example
// stops working fails here.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { docsDir, mdxPages, readPage, siteDir } from './mdx-examples';

const run = promisify(execFile);

/**
 * What some examples must print, beyond exiting cleanly: the claims their pages make. Only claims
 * that hold on every run are checked (how many increments `gil` mode loses depends on timing).
 */
const MUST_PRINT: Record<string, RegExp[]> = {
  'heap-basics.mjs': [/^42$/m, /dict refcount: 3/, /None is immortal: true c0000000/, /ok: true/],
  'heap-race.mjs': [
    /^gil under a GIL .*: 0 increments lost$/m,
    /^atomic without a GIL .*: 0 increments lost$/m,
    /^biased without a GIL .*: 0 increments lost$/m,
  ],
  'gil-demo.mjs': [/main done/, /worker done/],
};
const outDir = join(siteDir, '.example-runs');

interface NodeExample {
  where: string;
  file: string;
  code: string;
}

const examples: NodeExample[] = mdxPages()
  .filter((p) => p.includes(`${join(docsDir, 'packages')}`))
  .flatMap((page) =>
    [...readPage(page).matchAll(/```js title="([\w.-]+\.mjs)"\n([\s\S]*?)\n```/g)].map((m) => ({
      where: relative(docsDir, page),
      file: m[1],
      code: m[2],
    })),
  );

describe('package page examples run under Node', () => {
  it('finds examples', () => {
    expect(examples.length).toBeGreaterThan(0);
    expect(new Set(examples.map((e) => e.file)).size, 'example file names must be unique').toBe(
      examples.length,
    );
  });

  it.each(examples.map((e) => [`${e.where} ${e.file}`, e] as const))('%s', async (_name, ex) => {
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, ex.file);
    writeFileSync(file, `${ex.code}\n`);
    // --no-concurrent-recompilation: a short node process that loads the vm can hang at exit in
    // Node 20 (a background TurboFan job waits for a GC the exiting main thread never runs,
    // nodejs/node#54918; 1 in 25 runs of scheduler-demo.mjs here); see packages/scheduler/bin/gilkit.js.
    const { stdout } = await run(process.execPath, ['--no-concurrent-recompilation', file], {
      cwd: siteDir,
      timeout: 60_000,
    });
    expect(stdout.trim().length).toBeGreaterThan(0);
    for (const re of MUST_PRINT[ex.file] ?? []) expect(stdout).toMatch(re);
  });
});
