export { compile } from './compiler.js';
export { type DisOptions, dis } from './dis.js';
export { PyCompileError, PyError, PyNotImplementedError, PySyntaxError } from './errors.js';
export { invalidateGlobalCaches } from './eval.js';
export type { PyExceptionInfo as ExceptionInfo } from './host.js';
export * from './host.js';
export {
  fromJS,
  Interpreter,
  type InterpreterOptions,
  type RunOptions,
  type RunResult,
  runSource,
  toJS,
} from './interpreter.js';
export { tokenize } from './lexer.js';
export { CodeObject, OPCODES, Op, type OpClass, type OpInfo } from './opcodes.js';
export { parse } from './parser.js';
