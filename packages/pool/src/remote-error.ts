/**
 * Main side: rebuilds an error thrown in a worker as the error the caller sees.
 *
 * Like CPython's pool, the caller gets an error of the original kind with the original message, and
 * the remote stack as `cause` (a `RemoteTraceback`), so the local stack shows where the call was made
 * and the cause shows where it failed.
 */
import { PyError } from '@gilkit/vm';
import { RemoteTraceback } from './errors.js';
import type { WireError } from './protocol.js';

const builtins: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * The error for the caller: same class for JS built-ins, the vm's `PyError` for Python exceptions,
 * otherwise `Error` carrying the remote `name`.
 */
export function fromWireError(wire: WireError): Error {
  if (wire.python !== undefined) {
    // A MiniPy exception: the vm's own PyError (pyType, traceback), as if raised in this thread.
    const error = new PyError(wire.python);
    Object.defineProperty(error, 'cause', {
      value: new RemoteTraceback(wire.python.traceback),
      configurable: true,
      writable: true,
    });
    return error;
  }
  const Ctor = Object.hasOwn(builtins, wire.name) ? builtins[wire.name]! : Error;
  const error = new Ctor(wire.message, { cause: new RemoteTraceback(wire.stack) });
  if (error.name !== wire.name) {
    Object.defineProperty(error, 'name', { value: wire.name, configurable: true, writable: true });
  }
  if (wire.code !== undefined) {
    Object.defineProperty(error, 'code', {
      value: wire.code,
      configurable: true,
      writable: true,
      enumerable: true,
    });
  }
  return error;
}
