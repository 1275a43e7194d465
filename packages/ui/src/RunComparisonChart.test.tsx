import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RunComparisonChart, summarizeRun } from './RunComparisonChart.js';
import { parallelTrace, roundRobinTrace } from './test-fixtures/traces.js';

afterEach(cleanup);

describe('<RunComparisonChart>', () => {
  it('draws a bar per run, relative to the baseline', () => {
    const runs = [
      summarizeRun('a', 'GIL, 2 threads', roundRobinTrace(2, 4)),
      summarizeRun('b', 'free-threaded', parallelTrace(10_000)),
    ];
    render(<RunComparisonChart runs={runs} />);
    expect(
      screen.getByRole('img', { name: /GIL, 2 threads: 20\.0 ms wall, 20\.0 ms CPU \(baseline\)/ }),
    ).toBeTruthy();
    expect(
      screen.getByRole('img', { name: /free-threaded: 10\.0 ms wall, 20\.0 ms CPU, 2\.00× vs baseline/ }),
    ).toBeTruthy();
  });

  it('uses the chosen baseline and says when there is nothing to show', () => {
    const runs = [
      { id: 'x', label: 'slow', durationUs: 4000 },
      { id: 'y', label: 'fast', durationUs: 1000 },
    ];
    const { rerender } = render(<RunComparisonChart runs={runs} baselineId="y" />);
    expect(screen.getByRole('img', { name: /slow: 4\.00 ms wall, 0\.25× vs baseline/ })).toBeTruthy();
    rerender(<RunComparisonChart runs={[]} />);
    expect(screen.getByText('No runs yet.')).toBeTruthy();
  });
});
