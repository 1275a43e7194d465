import { describe, expect, it } from 'vitest';
import { roundRobinTrace } from './test-fixtures/traces.js';
import { buildTimelineModel, intervalAt, lowerBound } from './timeline-model.js';
import type { Trace } from './trace-types.js';

describe('buildTimelineModel', () => {
  it('makes one lane per thread, in thread order, with that thread’s intervals', () => {
    const trace = roundRobinTrace(3, 9);
    const model = buildTimelineModel(trace);
    expect(model.lanes.map((l) => l.label)).toEqual(['Thread-1', 'Thread-2', 'Thread-3']);
    for (const lane of model.lanes) {
      const own = trace.intervals.filter((iv) => iv.thread === lane.thread);
      expect(lane.starts.length).toBe(own.length);
      expect(Array.from(lane.starts)).toEqual(own.map((iv) => iv.start));
    }
    expect(model.durationUs).toBe(45_000);
  });

  it('maps hand-offs to lane indices and ignores events of unknown threads', () => {
    const trace = roundRobinTrace(2, 4);
    trace.events.push({ kind: 'handoff', time: 1, thread: 99, from: 0, to: 99 });
    const model = buildTimelineModel(trace);
    expect(model.handoffs).toEqual([
      { time: 5000, fromLane: 0, toLane: 1 },
      { time: 10000, fromLane: 1, toLane: 0 },
      { time: 15000, fromLane: 0, toLane: 1 },
    ]);
  });

  it('sorts a hand-edited trace whose intervals are out of order', () => {
    const trace: Trace = {
      ...roundRobinTrace(1, 1),
      intervals: [
        { thread: 0, state: 'blocked', start: 10, end: 20 },
        { thread: 0, state: 'running', start: 0, end: 10 },
      ],
    };
    const lane = buildTimelineModel(trace).lanes[0];
    expect(Array.from(lane.starts)).toEqual([0, 10]);
    expect(intervalAt(lane, 15)?.state).toBe('blocked');
  });

  it('labels lanes with their interpreter or process group', () => {
    const trace = roundRobinTrace(1, 1);
    trace.policy = 'per-interpreter';
    trace.threads[0].group = 2;
    expect(buildTimelineModel(trace).lanes[0].label).toBe('Thread-1 (interp 2)');
    // Under any other policy a group is a process (e.g. a multiprocessing.Pool worker).
    trace.policy = 'cpython';
    expect(buildTimelineModel(trace).lanes[0].label).toBe('Thread-1 (process 2)');
  });
});

describe('intervalAt / lowerBound', () => {
  it('finds the interval covering a time and nothing in gaps', () => {
    const trace = roundRobinTrace(2, 4);
    const lane = buildTimelineModel(trace).lanes[1];
    expect(intervalAt(lane, 2000)?.state).toBe('waiting');
    expect(intervalAt(lane, 5000)?.state).toBe('waiting');
    expect(intervalAt(lane, 6000)?.state).toBe('running');
    expect(intervalAt(lane, 12_000)?.state).toBe('waiting');
    expect(intervalAt(lane, 25_000)).toBeUndefined();
  });

  it('lowerBound returns the first index not less than the value', () => {
    const a = [1, 3, 3, 7];
    expect([0, 1, 2, 3, 7, 8].map((v) => lowerBound(a, v))).toEqual([0, 0, 1, 1, 3, 4]);
  });
});
