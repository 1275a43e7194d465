import type { Suite } from '../suite.js';
import { convoySuite } from './convoy.js';
import { gilSuite } from './gil.js';
import { heapSuite } from './heap.js';
import { lockSuite } from './lock.js';
import { poolSuite } from './pool.js';
import { vmSuite } from './vm.js';

/** Every suite, in the order a full run executes them. */
export const suites: readonly Suite[] = [lockSuite, heapSuite, vmSuite, gilSuite, convoySuite, poolSuite];
