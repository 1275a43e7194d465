export * from './chrome-trace.js';
export * from './errors.js';
export { type RunProgramOptions, type RunProgramResult, runProgram } from './run-program.js';
export {
  type CostModel,
  CPYTHON_COUNTDOWN_INSTRUCTIONS_PER_ITERATION,
  CPYTHON_COUNTDOWN_NS_PER_ITERATION,
  calibrate,
  defaultCostModel,
  type RefcountMode,
} from './sim/cost-model.js';
export {
  type BlockHandler,
  type SimCounters,
  SimEngine,
  type SimEngineOptions,
  SimThread,
  type SimThreadStatus,
} from './sim/engine.js';
export { type GilAlgorithm, POLICIES, type PolicySpec } from './sim/policies.js';
export {
  COUNTDOWN_INSTRUCTIONS_PER_ITERATION,
  countdownScript,
  type ScriptOp,
  ScriptThread,
} from './sim/script-thread.js';
export { SimHost } from './sim/sim-host.js';
export {
  miniPyCountdownInstructions,
  type RunResult,
  SimRuntime,
  type SimRuntimeOptions,
} from './sim/sim-runtime.js';
export { SimSync } from './sim/sync.js';
export { engineTrace, type ScriptRun, type ScriptSpec, simulateScripts } from './sim/synthetic.js';
export type { BlockRequest, ExceptionInfo, Steppable, StepResult, StopReason } from './sim/unit.js';
export * from './stats.js';
export { asciiTimeline, TIMELINE_CHARS } from './timeline.js';
export * from './trace.js';
