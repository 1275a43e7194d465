/**
 * Compile-time errors thrown by `compile()` (JS `Error` subclasses with a stable `code`).
 * Naming scheme: `Py` + the Python exception name. Runtime Python exceptions are not thrown as
 * these: they surface as `{ type, message, traceback }` ({@link PyExceptionInfo}) or {@link PyError}.
 */
import type { PyExceptionInfo } from './host.js';

/** Base of MiniPy compile-time errors: a position in the source. */
export class PyCompileError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  /** 1-based line. */
  readonly lineno: number;
  /** 1-based column. */
  readonly col: number;
  readonly filename: string;
  /** Python exception type name (`SyntaxError`, `IndentationError`, `NotImplementedError`). */
  readonly pyType: string;
  /** Message without the position. */
  readonly msg: string;
  constructor(pyType: string, code: string, msg: string, lineno: number, col: number, filename: string) {
    super(`${msg} (${filename}, line ${lineno}, column ${col})`);
    this.name = `Py${pyType}`;
    this.pyType = pyType;
    this.code = code;
    this.msg = msg;
    this.lineno = lineno;
    this.col = col;
    this.filename = filename;
  }
}

/** Invalid syntax (Python's `SyntaxError`/`IndentationError`). */
export class PySyntaxError extends PyCompileError {
  constructor(msg: string, lineno: number, col: number, filename = '<string>', pyType = 'SyntaxError') {
    super(pyType, 'SYNTAX_ERROR', msg, lineno, col, filename);
  }
}

/** Valid Python outside the MiniPy subset (e.g. `class`). */
export class PyNotImplementedError extends PyCompileError {
  constructor(msg: string, lineno: number, col: number, filename = '<string>') {
    super('NotImplementedError', 'NOT_IMPLEMENTED', msg, lineno, col, filename);
  }
}

/** A Python exception escaping `Interpreter.exec`/`call`, carrying its Python description. */
export class PyError extends Error {
  readonly code = 'PY_EXCEPTION';
  /** Python type name, e.g. `ZeroDivisionError`. */
  readonly pyType: string;
  /** Python-style traceback text. */
  readonly traceback: string;
  constructor(info: PyExceptionInfo) {
    super(info.message ? `${info.type}: ${info.message}` : info.type);
    this.name = 'PyError';
    this.pyType = info.type;
    this.traceback = info.traceback;
  }
}
