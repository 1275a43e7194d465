import type { Trace } from '../trace.js';

/** A small hand-written trace: two CPU threads handing the GIL back and forth, one I/O round trip. */
export function handTrace(): Trace {
  return {
    version: 1,
    runtime: 'sim',
    policy: 'cpython',
    cores: 2,
    switchIntervalMs: 5,
    seed: 1,
    durationUs: 10_050,
    threads: [
      { id: 1, name: 'MainThread' },
      { id: 2, name: 'Thread-1' },
    ],
    intervals: [
      { thread: 1, state: 'running', start: 0, end: 5000.0004, core: 0 },
      { thread: 1, state: 'waiting', start: 5000.0004, end: 5050 },
      { thread: 1, state: 'blocked', start: 5050, end: 5113, detail: 'io echo' },
      { thread: 1, state: 'running', start: 5150, end: 10_050, core: 1 },
      { thread: 2, state: 'waiting', start: 10, end: 5030 },
      { thread: 2, state: 'running', start: 5030, end: 5050, core: 0 },
      { thread: 2, state: 'native', start: 5050, end: 6050, core: 0 },
    ],
    events: [
      { kind: 'take', time: 0, thread: 1 },
      { kind: 'drop-request', time: 4990, thread: 2, to: 1 },
      { kind: 'forced-switch', time: 5000.0004, thread: 1 },
      { kind: 'drop', time: 5000.0004, thread: 1 },
      { kind: 'take', time: 5030, thread: 2 },
      { kind: 'handoff', time: 5030, thread: 2, from: 1, to: 2 },
      { kind: 'drop', time: 5050, thread: 2 },
      { kind: 'take', time: 5150, thread: 1 },
      { kind: 'handoff', time: 5150, thread: 1, from: 2, to: 1 },
    ],
  };
}
