import { describe, expect, it } from 'vitest';
import { handTrace } from './test-fixtures/hand-trace.js';
import { assertTrace, TraceFormatError } from './trace.js';

describe('assertTrace', () => {
  it('accepts a well-formed trace', () => {
    expect(() => assertTrace(handTrace())).not.toThrow();
  });
  it.each([
    ['version', (t: Record<string, unknown>) => (t.version = 2), /version must be 1/],
    ['policy', (t: Record<string, unknown>) => (t.policy = 'gil'), /unknown policy/],
    [
      'overlap',
      (t: Record<string, unknown>) => ((t.intervals as { start: number }[])[1].start = 10),
      /overlap/,
    ],
    [
      'thread',
      (t: Record<string, unknown>) => ((t.events as { thread: number }[])[0].thread = 9),
      /unknown thread 9/,
    ],
  ])('rejects a bad %s with TraceFormatError', (_n, mutate, msg) => {
    const t = handTrace() as unknown as Record<string, unknown>;
    mutate(t);
    expect(() => assertTrace(t)).toThrow(TraceFormatError);
    expect(() => assertTrace(t)).toThrow(msg);
  });
});
