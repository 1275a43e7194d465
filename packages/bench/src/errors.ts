/** Typed errors of @gilkit/bench. Each has a stable `code`. */

/** A benchmark definition or option is invalid (Python: ValueError). */
export class BenchValueError extends Error {
  readonly code = 'ERR_GILKIT_BENCH_VALUE';
  override name = 'ValueError';
}

/** The command line could not be understood; the CLI exits with status 2. */
export class UsageError extends Error {
  readonly code = 'ERR_GILKIT_BENCH_USAGE';
  override name = 'UsageError';
}

/** A python3 helper script failed or printed something that is not the expected JSON. */
export class PythonError extends Error {
  readonly code = 'ERR_GILKIT_BENCH_PYTHON';
  override name = 'PythonError';
}
