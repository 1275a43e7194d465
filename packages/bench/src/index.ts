export { type CliOptions, parseCliArgs, USAGE } from './cli-args.js';
export { captureEnvironment, type Environment } from './environment.js';
export { BenchValueError, PythonError, UsageError } from './errors.js';
export { formatCell, ratio } from './format/cells.js';
export { renderMarkdownTable, renderReportMarkdown } from './format/markdown.js';
export { renderChartSvg } from './format/svg.js';
export { renderReportText, renderSuiteText, renderTextTable } from './format/terminal.js';
export {
  type Benchmark,
  type BenchmarkResult,
  defineBenchmark,
  type Measurement,
  type MeasureOptions,
  measure,
} from './harness.js';
export { type OutputPaths, writeOutputs } from './outputs.js';
export { createProgress, type Progress, silentProgress } from './progress.js';
export { findPython, runPython } from './python.js';
export {
  type Cell,
  type Chart,
  REPORT_SCHEMA,
  type Report,
  type SuiteResult,
  type Table,
  validateReport,
} from './report.js';
export { measureOptionsFor, type RunSuitesOptions, runSuites } from './runner.js';
export { pairedRatios, quantile, type Summary, summarize } from './stats.js';
export { defineSuite, type Suite, type SuiteContext } from './suite.js';
export { suites } from './suites/index.js';
