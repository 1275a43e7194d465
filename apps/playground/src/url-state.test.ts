import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type PlaygroundState } from './settings.js';
import { decodeProgram, encodeProgram, parseState, stateToHash } from './url-state.js';

const defaults: PlaygroundState = { program: 'print(1)\n', settings: DEFAULT_SETTINGS, compareWith: null };

describe('URL state', () => {
  it('round-trips the program (any Unicode) and every setting', () => {
    const state: PlaygroundState = {
      program: 'print("héllo, 世界 🐍")\nx = 1 + 2\n',
      settings: { runtime: 'sim', policy: 'free-threaded', cores: 8, switchIntervalMs: 0.5, seed: 42 },
      compareWith: 'cpython',
    };
    const parsed = parseState(`#${stateToHash(state)}`, defaults);
    expect(parsed.problems).toEqual([]);
    expect(parsed.state).toEqual(state);
  });

  it('an empty fragment gives the defaults without a notice', () => {
    expect(parseState('', defaults)).toEqual({ state: defaults, problems: [] });
    expect(parseState('#', defaults)).toEqual({ state: defaults, problems: [] });
  });

  it('broken fields fall back to their defaults and are each named', () => {
    const parsed = parseState(
      '#code=%%%&policy=gil-of-doom&cores=9999&interval=-1&seed=1.5&runtime=gpu&compare=<script>',
      defaults,
    );
    expect(parsed.state).toEqual(defaults);
    expect(parsed.problems).toHaveLength(7);
    expect(parsed.problems.join('\n')).toMatch(/program is not valid/);
    expect(parsed.problems.join('\n')).toMatch(/unknown policy "gil-of-doom"/);
    expect(parsed.problems.join('\n')).toMatch(/cores must be an integer from 1 to 16/);
  });

  it('keeps the valid fields of a partly broken link', () => {
    const parsed = parseState(`#code=${encodeProgram('x = 1\n')}&cores=abc&policy=fifo`, defaults);
    expect(parsed.state.program).toBe('x = 1\n');
    expect(parsed.state.settings.policy).toBe('fifo');
    expect(parsed.state.settings.cores).toBe(DEFAULT_SETTINGS.cores);
    expect(parsed.problems).toEqual(['cores must be an integer from 1 to 16']);
  });

  it('rejects hostile programs: invalid UTF-8, control characters, huge text, huge links', () => {
    // 0xff 0xfe is not UTF-8.
    expect(parseState('#code=__4', defaults).problems).toEqual([
      'program is not valid (broken base64 or UTF-8)',
    ]);
    expect(parseState(`#code=${encodeProgram('print(1)\u0000')}`, defaults).problems).toEqual([
      'program contains control characters',
    ]);
    expect(parseState(`#code=${encodeProgram('#'.repeat(20_001))}`, defaults).problems).toEqual([
      'program longer than 20000 characters',
    ]);
    const huge = parseState(`#code=${'A'.repeat(70_000)}`, defaults);
    expect(huge.state).toEqual(defaults);
    expect(huge.problems[0]).toMatch(/too long/);
  });

  it('decodeProgram refuses characters outside base64url', () => {
    expect(() => decodeProgram('a+b/')).toThrow(/base64url/);
    expect(decodeProgram(encodeProgram(''))).toBe('');
  });
});
