import type { Suite } from '../suite.js';

/** Every suite, in the order a full run executes them. */
export const suites: readonly Suite[] = [];
