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
  PyObjectRef,
  type RunOptions,
  type RunResult,
  runSource,
  toJS,
} from './interpreter.js';
export { tokenize } from './lexer.js';
export {
  BytesConst,
  CodeObject,
  type Const,
  FloatConst,
  OPCODES,
  Op,
  type OpClass,
  type OpInfo,
  TupleConst,
} from './opcodes.js';
export { parse } from './parser.js';
export { codeById, codeId, type NewHeapOptions, newHeap, type Ref, resetCodeIds } from './rt.js';
