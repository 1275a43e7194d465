import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRepo, findCycle } from './check.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const goodPackage = (name: string, deps: Record<string, string> = {}) => ({
  name,
  type: 'module',
  types: './dist/index.d.ts',
  files: ['dist'],
  sideEffects: false,
  exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  dependencies: deps,
});

describe('repo self-check', () => {
  let tmp: string | undefined;
  afterEach(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  function fakeRepo(packages: Record<string, object>, withTests = true): string {
    tmp = mkdtempSync(join(tmpdir(), 'gilkit-repo-check-'));
    for (const [dir, pkg] of Object.entries(packages)) {
      const ws = join(tmp, 'packages', dir);
      mkdirSync(join(ws, 'src'), { recursive: true });
      writeFileSync(join(ws, 'package.json'), JSON.stringify(pkg));
      writeFileSync(join(ws, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.base.json' }));
      if (withTests) writeFileSync(join(ws, 'src', 'a.test.ts'), '');
    }
    return tmp;
  }

  it('passes on this repository', () => {
    expect(checkRepo(repoRoot)).toEqual([]);
  });

  it('passes on a well-formed fake repo', () => {
    expect(checkRepo(fakeRepo({ a: goodPackage('@gilkit/a') }))).toEqual([]);
  });

  it('fails when a package has no exports map', () => {
    const { exports: _omitted, ...noExports } = goodPackage('@gilkit/a');
    const problems = checkRepo(fakeRepo({ a: noExports }));
    expect(problems).toContainEqual({
      workspace: 'packages/a',
      message: 'package.json must have an "exports" map with a "." entry',
    });
  });

  it('fails when "types" is not the first export condition', () => {
    const pkg = { ...goodPackage('@gilkit/a'), exports: { '.': { import: './x.js', types: './x.d.ts' } } };
    expect(checkRepo(fakeRepo({ a: pkg })).map((p) => p.message)).toContain(
      '"exports"["."] must list the "types" condition first',
    );
  });

  it('fails when a package has no tests', () => {
    const problems = checkRepo(fakeRepo({ a: goodPackage('@gilkit/a') }, false));
    expect(problems.map((p) => p.message)).toContain('no test files (*.test.ts) under packages/a');
  });

  it('fails when the tsconfig does not extend the base', () => {
    const root = fakeRepo({ a: goodPackage('@gilkit/a') });
    writeFileSync(join(root, 'packages', 'a', 'tsconfig.json'), JSON.stringify({ compilerOptions: {} }));
    expect(checkRepo(root).map((p) => p.message)).toContain(
      'tsconfig.json must extend ../../tsconfig.base.json',
    );
  });

  it('fails on a dependency cycle between @gilkit packages', () => {
    const root = fakeRepo({
      a: goodPackage('@gilkit/a', { '@gilkit/b': '*' }),
      b: goodPackage('@gilkit/b', { '@gilkit/a': '*' }),
    });
    expect(checkRepo(root)).toContainEqual({
      workspace: '.',
      message: 'dependency cycle: @gilkit/a -> @gilkit/b -> @gilkit/a',
    });
  });

  it('findCycle returns null for a DAG', () => {
    const graph = new Map([
      ['a', ['b', 'c']],
      ['b', ['c']],
      ['c', []],
    ]);
    expect(findCycle(graph)).toBeNull();
  });
});
