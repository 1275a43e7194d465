import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StatsTable } from './StatsTable.js';
import { computeTraceStats } from './stats.js';
import { parallelTrace, roundRobinTrace } from './test-fixtures/traces.js';

afterEach(cleanup);

describe('computeTraceStats', () => {
  it('adds up each state per thread and counts hand-offs received', () => {
    const s = computeTraceStats(roundRobinTrace(2, 4));
    expect(s.threads[0]).toMatchObject({ runningUs: 10_000, waitingUs: 5000, handoffsIn: 1 });
    expect(s.threads[1]).toMatchObject({ runningUs: 10_000, waitingUs: 10_000, handoffsIn: 2 });
    expect(s.cpuUs).toBe(20_000);
    expect(s.gilWaitUs).toBe(15_000);
    expect(s.handoffs).toBe(3);
    // Taking turns under a GIL: no faster than sequential.
    expect(s.speedup).toBe(1);
  });

  it('two threads in parallel give a speedup of 2', () => {
    expect(computeTraceStats(parallelTrace(1000)).speedup).toBe(2);
  });

  it('counts native time as CPU work', () => {
    const t = parallelTrace(1000);
    t.intervals[1].state = 'native';
    const s = computeTraceStats(t);
    expect(s.threads[1].nativeUs).toBe(1000);
    expect(s.cpuUs).toBe(2000);
  });
});

describe('<StatsTable>', () => {
  it('shows one row per thread and the summary', () => {
    const { container } = render(<StatsTable trace={roundRobinTrace(2, 4)} />);
    const rows = container.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    const row = within(rows[1] as HTMLElement);
    expect(row.getByText('Thread-2')).toBeTruthy();
    expect(row.getAllByText('10.0 ms')).toHaveLength(2);
    expect(container.querySelector('[data-stat="speedup"]')?.textContent).toContain('1.00×');
    expect(screen.getByRole('table', { name: 'Per-thread statistics' })).toBeTruthy();
  });
});
