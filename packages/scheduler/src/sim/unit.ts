/**
 * What the engine steps: anything shaped like the vm's `VmThread` (packages/vm/src/host.ts). The
 * types are restated structurally here so the engine does not depend on the vm at all; a vm thread
 * satisfies {@link Steppable} as is, and so does the synthetic {@link ScriptThread}.
 */

/** Why `run()` returned (same strings as the vm's `StopReason`). */
export type StopReason = 'breaker' | 'blocked' | 'finished' | 'error' | 'budget';

/** Same shape as the vm's `PyExceptionInfo`. */
export interface ExceptionInfo {
  type: string;
  message: string;
  traceback: string;
}

/** Same union as the vm's `BlockRequest`. */
export type BlockRequest =
  | { kind: 'sleep'; seconds: number }
  | { kind: 'lock'; lockId: number; timeout: number }
  | { kind: 'join'; threadId: number; timeout: number }
  | { kind: 'event'; eventId: number; timeout: number }
  | { kind: 'condition'; conditionId: number; lockId: number; timeout: number }
  | { kind: 'native'; name: string; bytes: number; cost: number }
  | { kind: 'io'; name: string; seconds: number };

/** Same shape as the vm's `StepResult`. */
export interface StepResult {
  reason: StopReason;
  executed: number;
  blocked?: BlockRequest;
  error?: ExceptionInfo;
}

/** A thread body the engine can run in bounded steps. */
export interface Steppable {
  /** Run at most `maxInstructions` instructions; stop early at a breaker point if asked, or on block/finish/error. */
  run(maxInstructions: number): StepResult;
  /** Hand back the result of the pending block before the next `run()`. */
  resume(value: unknown): void;
  /** Instructions executed so far (the engine derives a thread's virtual clock mid-step from it). */
  readonly executed: number;
}
