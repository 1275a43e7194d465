/**
 * The `gilkit` CLI, run as users run it: `node dist/cli.js ...` (build first; the turbo test task
 * depends on build).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInterval } from './cli/args.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** The flags bin/gilkit.js runs node with (see the comment there: an exit deadlock in Node 20's V8). */
const NODE_FLAGS = ['--no-concurrent-recompilation'];
const dir = mkdtempSync(join(tmpdir(), 'gilkit-cli-'));
const COUNTDOWN = fileURLToPath(new URL('./test-fixtures/programs/countdown.py', import.meta.url));

function gilkit(...args: string[]) {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('gilkit run', () => {
  it('runs a program, prints its output and a stats table, exit 0', () => {
    const r = gilkit('run', COUNTDOWN);
    expect(r.code).toBe(0);
    expect(r.out).toBe('done\n');
    expect(r.err).toMatch(/\[sim, cpython, 2 cores, switch interval 5 ms\]/);
    expect(r.err).toMatch(/Thread-1 \(countdown\)/);
    expect(r.err).toMatch(/speedup vs sequential 0\.9\dx/);
  });

  it('honours --policy, --cores, --switch-interval, --seed and prints a --timeline', () => {
    const r = gilkit(
      'run',
      COUNTDOWN,
      '--policy',
      'free-threaded',
      '--cores',
      '4',
      '--switch-interval',
      '100us',
      '--seed',
      '3',
      '--timeline',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\[sim, free-threaded, 4 cores, switch interval 0\.1 ms\]/);
    expect(r.err).toMatch(/Thread-1 \(countd\S* +\|[ .#]+\|/);
    expect(r.err).toMatch(/speedup vs sequential 1\.\d\dx/);
  });

  it('runs on real threads with --runtime workers', () => {
    const r = gilkit('run', COUNTDOWN, '--runtime', 'workers', '--switch-interval', '1ms');
    expect(r.code).toBe(0);
    expect(r.out).toBe('done\n');
    expect(r.err).toMatch(/\[workers, cpython, \d+ cores, switch interval 1 ms\]/);
    expect(r.err).toMatch(/Thread-2 \(countdown\)/);
  });

  it('writes a Chrome trace with --trace', () => {
    const out = join(dir, 'trace.json');
    expect(gilkit('run', COUNTDOWN, '--trace', out).code).toBe(0);
    const ct = JSON.parse(readFileSync(out, 'utf8')) as {
      traceEvents: { ph: string; args?: { name?: string } }[];
    };
    expect(ct.traceEvents.filter((e) => e.ph === 'M' && e.args?.name === 'MainThread')).toHaveLength(1);
    expect(ct.traceEvents.some((e) => e.ph === 'X')).toBe(true);
  });

  it('prints a Python-style traceback and exits 1 when the program raises', () => {
    const p = file('boom.py', 'def f():\n    return 1 / 0\nprint("before")\nf()\n');
    const r = gilkit('run', p);
    expect(r.code).toBe(1);
    expect(r.out).toBe('before\n');
    expect(r.err).toContain('Traceback (most recent call last):\n');
    expect(r.err).toContain(`File "${p}", line 4, in <module>`);
    expect(r.err).toContain('ZeroDivisionError: division by zero\n');
  });

  it('exits 1 with a SyntaxError for invalid programs', () => {
    const r = gilkit('run', file('syntax.py', 'if True print(1)\n'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/SyntaxError: /);
  });
});

describe('gilkit dis', () => {
  it('prints bytecode', () => {
    const r = gilkit('dis', COUNTDOWN);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/JUMP_BACKWARD|POP_JUMP/);
  });
});

describe('bad usage exits 2 with usage', () => {
  it.each([
    [['run', COUNTDOWN, '--policy', 'nogil'], /--policy: expected one of cpython/],
    [['run', COUNTDOWN, '--cores', 'two'], /--cores: expected an integer/],
    [['run', COUNTDOWN, '--switch-interval', 'fast'], /--switch-interval: expected a duration/],
    [['run', COUNTDOWN, '--runtime', 'gpu'], /--runtime: expected sim or workers/],
    [['run', COUNTDOWN, '--frobnicate'], /Unknown option '--frobnicate'/],
    [['run'], /run: missing PROGRAM.py/],
    [['compile', COUNTDOWN], /unknown command 'compile'/],
    [['dis', COUNTDOWN, '--timeline'], /dis: --timeline applies to run only/],
  ])('%j', (args, msg) => {
    const r = gilkit(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err).toContain('usage: gilkit run PROGRAM.py');
  });

  it('exits 2 for a file that cannot be opened, like python3', () => {
    const r = gilkit('run', join(dir, 'missing.py'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/can't open file .*missing\.py/);
  });

  it('--help prints usage and exits 0', () => {
    const r = gilkit('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: gilkit run PROGRAM.py');
  });
});

describe('parseInterval', () => {
  it.each([
    ['5ms', 5],
    ['100us', 0.1],
    ['0.005s', 5],
    ['2', 2],
  ])('%s -> %d ms', (text, ms) => {
    expect(parseInterval(text)).toBeCloseTo(ms, 12);
  });
});

describe('README', () => {
  it('shows the real output of gilkit run on the two-thread countdown', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```console\n\$ gilkit run (examples\/countdown\.py --timeline)\n([\s\S]*?)```/.exec(
      readme,
    );
    expect(block).not.toBeNull();
    const example = fileURLToPath(new URL('../examples/countdown.py', import.meta.url));
    const r = spawnSync(process.execPath, [...NODE_FLAGS, CLI, 'run', example, '--timeline'], {
      encoding: 'utf8',
      timeout: 30_000,
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe(block![2]);
  });
});
