import { describe, expect, it } from 'vitest';
import { formatStats, latencyStats, summarize } from './stats.js';
import { handTrace } from './test-fixtures/hand-trace.js';

describe('latencyStats', () => {
  it('uses nearest-rank percentiles', () => {
    const s = latencyStats([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    expect(s).toEqual({ count: 10, meanUs: 5.5, p50Us: 5, p90Us: 9, p99Us: 10, maxUs: 10 });
  });
  it('is all zeros for no samples', () => {
    expect(latencyStats([]).p99Us).toBe(0);
  });
});

describe('summarize', () => {
  const st = summarize(handTrace());
  it('sums time per state and thread', () => {
    const [main, t1] = st.threads;
    expect(main.runningUs).toBeCloseTo(5000.0004 + 4900, 6);
    expect(main.blockedUs).toBe(63);
    expect(t1.waitingUs).toBe(5020);
    expect(t1.nativeUs).toBe(1000);
    expect(st.cpuUs).toBeCloseTo(5000.0004 + 4900 + 20 + 1000, 6);
  });
  it('counts protocol events per thread', () => {
    expect(st.handoffs).toBe(2);
    expect(st.takes).toBe(3);
    expect(st.dropRequests).toBe(1);
    expect(st.forcedSwitches).toBe(1);
    expect(st.threads[1].dropRequests).toBe(1);
    expect(st.threads[0].forcedSwitches).toBe(1);
  });
  it('measures wake-up and I/O latency from blocked intervals', () => {
    expect(st.wakeLatency.count).toBe(1);
    expect(st.wakeLatency.p50Us).toBe(5150 - 5113);
    expect(st.ioLatency.p50Us).toBe(5150 - 5050);
  });
  it('reports the speed-up as busy cores on average', () => {
    expect(st.speedupVsSequential).toBeCloseTo(st.cpuUs / 10_050, 9);
    expect(formatStats(st)).toMatch(/speedup vs sequential 1\.09x/);
  });
});
