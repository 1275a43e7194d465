import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';
import { UsageError } from './errors.js';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
// --no-concurrent-recompilation: a node process that exits right after loading the vm can hang at
// exit in Node 20 (a background TurboFan job waits for a GC the exiting main thread never runs,
// nodejs/node#54918); see packages/scheduler/bin/gilkit.js.
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--no-concurrent-recompilation', cli, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('parseCliArgs', () => {
  const known = ['lock', 'heap'];
  it('defaults to every suite', () => {
    expect(parseCliArgs([], known)).toMatchObject({ suites: ['lock', 'heap'], quick: false, python: true });
  });
  it('takes suites, flags and output paths', () => {
    expect(
      parseCliArgs(
        ['heap', '--quick', '--json', 'o.json', '--md', 'o.md', '--svg', 'c', '--no-python'],
        known,
      ),
    ).toEqual({
      suites: ['heap'],
      quick: true,
      python: false,
      json: 'o.json',
      md: 'o.md',
      svg: 'c',
      list: false,
      help: false,
    });
  });
  it('rejects unknown suites with the list of known ones', () => {
    expect(() => parseCliArgs(['nope'], known)).toThrow(
      new UsageError('unknown suite: nope (suites: lock, heap)'),
    );
  });
  it('rejects unknown flags and missing values', () => {
    expect(() => parseCliArgs(['--fast'], known)).toThrow(UsageError);
    expect(() => parseCliArgs(['--json'], known)).toThrow(UsageError);
  });
});

describe('gilkit-bench CLI', () => {
  it('exits 2 with usage and the suite list on an unknown suite', () => {
    const r = run('no-such-suite');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown suite: no-such-suite');
    expect(r.stderr).toContain('usage: gilkit-bench');
  });
  it('exits 2 on an unknown flag', () => {
    const r = run('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: gilkit-bench');
  });
  it('prints help and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--quick');
  });
});
