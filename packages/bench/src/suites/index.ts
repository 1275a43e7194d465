import type { Suite } from '../suite.js';
import { heapSuite } from './heap.js';
import { lockSuite } from './lock.js';
import { poolSuite } from './pool.js';

/** Every suite, in the order a full run executes them. */
export const suites: readonly Suite[] = [lockSuite, heapSuite, poolSuite];
