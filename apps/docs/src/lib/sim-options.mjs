// Shared by the <PyExample> component, the build-time precomputation (scripts/prepare.mjs), the
// remark plugin that hands its results to the pages, and the tests: one definition of how an
// example runs, so the page, the build and the tests run it identically. Browser-safe (no node:).

/**
 * Simulator settings of a run. The limits stop a runaway edit (`while True: pass`) instead of
 * freezing the tab for good.
 * @param {import('@gilkit/scheduler').TracePolicy} policy
 * @param {number} cores
 * @param {number} switchIntervalMs
 * @param {number} [seed]
 */
export function simOptions(policy, cores, switchIntervalMs, seed = 1) {
  return { policy, cores, switchIntervalMs, seed, maxInstructions: 100_000_000, maxVirtualMs: 120_000 };
}

/**
 * The program as the component runs it: trailing whitespace trimmed, one final newline.
 * @param {string} code
 */
export function normalizeCode(code) {
  return `${code.replace(/\s+$/, '')}\n`;
}

/**
 * Identifies one example run (program and settings) in the build-time results file.
 * @param {{ code: string, policy?: string, cores?: number, interval?: number, seed?: number }} ex
 */
export function exampleKey(ex) {
  return JSON.stringify([
    normalizeCode(ex.code),
    ex.policy ?? 'cpython',
    ex.cores ?? 2,
    ex.interval ?? 5,
    ex.seed ?? 1,
  ]);
}
