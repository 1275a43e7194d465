import type { TracePolicy } from '@gilkit/scheduler';

/**
 * Simulator settings of a run, shared with the docs tests so they run examples exactly as the page
 * does. The limits stop a runaway edit (`while True: pass`) instead of freezing the tab for good.
 */
export function simOptions(policy: TracePolicy, cores: number, switchIntervalMs: number, seed = 1) {
  return { policy, cores, switchIntervalMs, seed, maxInstructions: 100_000_000, maxVirtualMs: 120_000 };
}
