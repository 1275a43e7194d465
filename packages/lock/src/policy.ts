/**
 * GIL policies: values that configure the one algorithm in gil.ts, not forks of it.
 *
 * - `cpython` (3.2+, the default): a waiter sleeps one switch interval; if the GIL is still held
 *   and no switch happened meanwhile, it sets the drop request. The holder drops at its next
 *   `dropRequested()` check. Forced switching: a thread that drops under a drop request cannot
 *   retake the GIL before another thread has taken it. Who wins among several waiters is up to
 *   the OS (whichever wakes first).
 * - `legacy` (Python 2 and <= 3.1): nobody asks the holder to drop; instead `dropRequested()`
 *   turns true every `ticks` checks (default 100, Python 2.3's check interval) and the holder
 *   releases and at once re-acquires. No hand-off guarantee: on multicore the releasing thread
 *   usually wins the race again, so waiters starve and wake up for nothing.
 * - `fifo`: like `cpython` for drop requests, but every release with waiters hands the GIL
 *   directly to the longest-waiting thread (strict arrival order; a releaser that takes again
 *   queues behind them). Fair, but every contended release costs a full thread wake-up.
 */

import { ValueError } from './errors.js';

export type PolicyName = 'cpython' | 'legacy' | 'fifo';

/** A GIL policy: the knobs the algorithm reads. Stored in the buffer as `code` and `ticks`. */
export interface GilPolicy {
  readonly name: PolicyName;
  /** Code stored in the buffer's POLICY word. */
  readonly code: number;
  /** A waiter that waited a whole interval with no switch sets the drop request. */
  readonly requestDrops: boolean;
  /** A thread dropping under a drop request waits until another thread has taken the GIL. */
  readonly forceSwitching: boolean;
  /** 'race': waiters compete (the OS decides); 'fifo': direct hand-off in arrival order. */
  readonly handoff: 'race' | 'fifo';
  /** > 0: `dropRequested()` is true every `ticks` checks (legacy); 0: it reads the drop request. */
  readonly ticks: number;
}

/** The CPython >= 3.2 GIL with FORCE_SWITCHING. */
export const cpython: GilPolicy = Object.freeze({
  name: 'cpython',
  code: 1,
  requestDrops: true,
  forceSwitching: true,
  handoff: 'race',
  ticks: 0,
});

/** Default ticks of the legacy policy (Python 2.3+'s `sys.setcheckinterval` default). */
export const DEFAULT_TICKS = 100;

/** The Python 2 GIL: release and immediately re-acquire every `ticks` breaker checks. */
export function legacy(options: { ticks?: number } = {}): GilPolicy {
  const ticks = options.ticks ?? DEFAULT_TICKS;
  if (!Number.isInteger(ticks) || ticks < 1 || ticks > 0x7fffffff) {
    throw new ValueError(`options.ticks must be a positive integer (got ${String(ticks)})`);
  }
  return Object.freeze({
    name: 'legacy',
    code: 2,
    requestDrops: false,
    forceSwitching: false,
    handoff: 'race',
    ticks,
  });
}

/** Strict arrival-order hand-off, with CPython's drop requests. */
export const fifo: GilPolicy = Object.freeze({
  name: 'fifo',
  code: 3,
  requestDrops: true,
  forceSwitching: false, // the direct hand-off already keeps the dropper from retaking first
  handoff: 'fifo',
  ticks: 0,
});

/** All policies by name, for options given as strings. */
export const policies = Object.freeze({ cpython, legacy: legacy(), fifo });

/** Resolves a policy given by name or value. */
export function resolvePolicy(policy: PolicyName | GilPolicy | undefined): GilPolicy {
  if (policy === undefined) return cpython;
  if (typeof policy === 'string') {
    const p = (policies as Record<string, GilPolicy | undefined>)[policy];
    if (!p) throw new ValueError(`options.policy must be 'cpython', 'legacy' or 'fifo' (got '${policy}')`);
    return p;
  }
  return policyFromCode(policy.code, policy.ticks);
}

/** Rebuilds the policy value stored in a buffer. */
export function policyFromCode(code: number, ticks: number): GilPolicy {
  switch (code) {
    case cpython.code:
      return cpython;
    case 2:
      return legacy({ ticks });
    case fifo.code:
      return fifo;
    default:
      throw new ValueError(`unknown GIL policy code ${code}`);
  }
}
