/**
 * The Interpreter: one module namespace (`__main__`), its builtins and imported modules, and the
 * threads that run in it, all living in one `@gilkit/heap` heap that the interpreter owns.
 * Runtimes create threads with {@link Interpreter.mainThread} and {@link Interpreter.threadFor};
 * embedders use {@link Interpreter.exec} and {@link Interpreter.call}.
 *
 * Every public method makes the interpreter's heap current (rt `bindHeap`) for its duration, so
 * several interpreters (each with its own heap) can be used side by side in one JS thread.
 */
import type { Heap } from '@gilkit/heap';
import { createBuiltins } from './builtins.js';
import { compile } from './compiler.js';
import { PyCompileError, PyError } from './errors.js';
import {
  bindArgs,
  callValue,
  describeException,
  enterHeap,
  Frame,
  type InterpreterState,
  invalidateGlobalCaches,
  Thread,
} from './eval.js';
import {
  DefaultHost,
  type Host,
  type PyCallable,
  type PyExceptionInfo,
  type PyValue,
  type VmThread,
} from './host.js';
import { createModule, type ModuleContext } from './modules.js';
import { EXCEPTION_TYPES, ModuleNotFoundError, PyExc, PyTypeError, pyErr, typeName } from './objects.js';
import { CodeObject } from './opcodes.js';
import {
  bytesOf,
  decref,
  floatOf,
  funcCode,
  funcGlobals,
  H,
  incref,
  intern,
  intOf,
  isFrozenSet,
  K_FUNCTION,
  kindOf,
  NONE,
  newBytes,
  newDict,
  newFloat,
  newHeap,
  newInt,
  newListSteal,
  newSet,
  newStr,
  newTuple,
  pyBool,
  type Ref,
  strOf,
} from './rt.js';

/** Options for {@link Interpreter}. */
export interface InterpreterOptions {
  /** The runtime's host; default: a single-threaded {@link DefaultHost} writing to `stdout`. */
  host?: Host;
  /** Output callback used when no `host` is given (default: process.stdout). */
  stdout?: (text: string) => void;
  /** Error output (exceptions in threads) used when no `host` is given (default: console.error). */
  stderr?: (text: string) => void;
  /** Filename shown in tracebacks. Default `<string>`. */
  filename?: string;
  /** Python's recursion limit (default 1000, as CPython). */
  recursionLimit?: number;
  /** Id of the main thread as the host knows it (default 1). */
  mainThreadId?: number;
  /** `__name__` of the module (default `__main__`; the pool uses `__mp_main__`). */
  moduleName?: string;
  /** The heap the interpreter's objects live in (default: a new `rt.newHeap()`, 32 MiB). */
  heap?: Heap;
  /**
   * A globals dict (a ref in `heap`) to adopt as the module namespace instead of a new one: the
   * interpreter takes its own reference; `__name__`/`__file__`/`__doc__` are set only if absent.
   */
  globals?: Ref;
  /**
   * Compile hot `while` loops over small ints to JS (jit.ts; exact instruction counts). Default
   * false: the interpreter is what benchmarks compare with CPython.
   */
  jit?: boolean;
}

/**
 * A Python object that has no plain JS form (a function, module, lock...), as {@link toJS}
 * returns it. `ref` is borrowed: valid while the object is alive in its interpreter.
 */
export class PyObjectRef {
  constructor(
    /** The heap reference. */
    readonly ref: number,
    /** Python type name. */
    readonly type: string,
  ) {}
}

/**
 * Convert a MiniPy value (borrowed ref, current heap) to a plain JS value: None -> null, int ->
 * number (bigint beyond 2**53), float -> number, str, bool, bytes -> Uint8Array, list/tuple ->
 * array, dict -> Map, set -> Set; anything else -> {@link PyObjectRef}.
 */
export function toJS(r: Ref): unknown {
  switch (H.typeOf(r)) {
    case 'NoneType':
      return null;
    case 'bool':
      return H.boolValue(r);
    case 'int':
      return intOf(r);
    case 'float':
      return floatOf(r);
    case 'str':
      return strOf(r);
    case 'bytes':
      return bytesOf(r);
    case 'list':
      return H.listItems(r).map(toJS);
    case 'tuple': {
      const n = H.tupleLen(r);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(toJS(H.tupleGet(r, i)));
      return out;
    }
    case 'dict': {
      const m = new Map<unknown, unknown>();
      for (let p = H.dictNext(r, -1); p >= 0; p = H.dictNext(r, p))
        m.set(toJS(H.dictKeyAt(r, p)), toJS(H.dictValueAt(r, p)));
      return m;
    }
    case 'set':
      return new Set(H.setKeys(r).map(toJS));
  }
  return new PyObjectRef(r, typeName(r));
}

/**
 * Convert a JS value to a MiniPy value (a new ref in the current heap): integers -> int, other
 * numbers -> float, arrays -> list, Map and plain objects -> dict, Set -> set, Uint8Array -> bytes,
 * null/undefined -> None, a {@link PyObjectRef} -> its object.
 */
export function fromJS(x: unknown): Ref {
  if (x === null || x === undefined) return NONE;
  switch (typeof x) {
    case 'number':
      return Number.isSafeInteger(x) ? newInt(x) : newFloat(x);
    case 'bigint':
      return newInt(x);
    case 'string':
      return newStr(x);
    case 'boolean':
      return pyBool(x);
  }
  if (x instanceof PyObjectRef) {
    incref(x.ref);
    return x.ref;
  }
  if (Array.isArray(x)) return newListSteal(fromAll(x));
  if (x instanceof Uint8Array) return newBytes(x);
  if (x instanceof Map) {
    const d = newDict();
    try {
      for (const [k, v] of x) setSteal(d, fromJS(k), fromJS(v));
    } catch (e) {
      decref(d);
      throw e;
    }
    return d;
  }
  if (x instanceof Set) {
    const items = fromAll([...x]);
    try {
      return newSet(items);
    } finally {
      for (const r of items) decref(r);
    }
  }
  if (typeof x === 'object') {
    const d = newDict();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) setSteal(d, newStr(k), fromJS(v));
    return d;
  }
  throw pyErr(PyTypeError, `cannot convert JS ${typeof x} to a MiniPy value`);
}

function fromAll(xs: readonly unknown[]): Ref[] {
  const out: Ref[] = [];
  try {
    for (const x of xs) out.push(fromJS(x));
  } catch (e) {
    for (const r of out) decref(r);
    throw e;
  }
  return out;
}

function setSteal(d: Ref, k: Ref, v: Ref): void {
  try {
    H.dictSet(d, k, v);
  } finally {
    decref(k);
    decref(v);
  }
}

/** Make container `dst` hold what `src` holds (same heap type: list, dict or set). */
function replaceContents(dst: Ref, src: Ref, type: string): void {
  if (type === 'list') {
    H.listClear(dst);
    for (const x of H.listItems(src)) H.listAppend(dst, x);
  } else if (type === 'dict') {
    for (const k of H.dictKeys(dst)) {
      incref(k);
      H.dictDelete(dst, k);
      decref(k);
    }
    for (let p = H.dictNext(src, -1); p >= 0; p = H.dictNext(src, p))
      H.dictSet(dst, H.dictKeyAt(src, p), H.dictValueAt(src, p));
  } else {
    for (const k of H.setKeys(dst)) {
      incref(k);
      H.setDiscard(dst, k);
      decref(k);
    }
    for (const k of H.setKeys(src)) H.setAdd(dst, k);
  }
}

/** A MiniPy interpreter: module globals + builtins + modules, shared by its threads. */
export class Interpreter implements InterpreterState {
  /** The heap every object of this interpreter lives in. */
  readonly heap: Heap;
  /** The builtins dict (owned by the interpreter). */
  readonly builtins: Ref;
  /**
   * The `__main__` module's globals: a heap dict (owned by the interpreter). JS code that changes
   * entries directly (rather than through {@link setGlobal}) must call `invalidateGlobalCaches()`.
   */
  readonly globals: Ref;
  readonly host: Host;
  readonly sources = new Map<string, string[]>();
  recursionLimit: number;
  readonly filename: string;
  readonly mainThreadId: number;
  readonly jit: boolean;
  readonly moduleContext: ModuleContext;
  #modules = new Map<string, Ref>();
  #source = '';
  #threads = new Map<number, Ref>();
  #closed = false;
  /** False when the globals dict was adopted (shared): close() then only drops its reference. */
  #ownsGlobals = true;

  constructor(options: InterpreterOptions = {}) {
    this.host = options.host ?? new DefaultHost(options.stdout, options.stderr);
    this.filename = options.filename ?? '<string>';
    this.recursionLimit = options.recursionLimit ?? 1000;
    this.mainThreadId = options.mainThreadId ?? 1;
    this.jit = options.jit ?? false;
    this.heap = options.heap ?? newHeap();
    const prev = H;
    enterHeap(this.heap);
    try {
      this.builtins = createBuiltins();
      const adopted = options.globals;
      if (adopted !== undefined) {
        incref(adopted);
        this.#ownsGlobals = false;
      }
      this.globals = adopted ?? newDict();
      const put = (k: string, make: () => Ref) => {
        if (adopted === undefined || H.dictGetStr(this.globals, k) === 0)
          setSteal(this.globals, intern(k), make());
      };
      put('__name__', () => newStr(options.moduleName ?? '__main__'));
      put('__file__', () => newStr(this.filename));
      put('__doc__', () => NONE);
    } finally {
      if (prev !== undefined) enterHeap(prev);
    }
    const self = this;
    this.moduleContext = {
      host: this.host,
      interpreter: this,
      get source() {
        return self.#source;
      },
      filename: this.filename,
      globals: this.globals,
      getRecursionLimit: () => this.recursionLimit,
      setRecursionLimit: (n) => {
        this.recursionLimit = n;
      },
      toJS,
      fromJS,
      threads: this.#threads,
      mainThreadId: this.mainThreadId,
    };
  }

  /** Run `fn` with this interpreter's heap current, then restore the previous one. */
  #in<T>(fn: () => T): T {
    const prev = H;
    enterHeap(this.heap);
    try {
      return fn();
    } finally {
      if (prev !== undefined && prev !== this.heap) enterHeap(prev);
    }
  }

  /** `import name`: a supported module (borrowed: the module cache owns it) or ModuleNotFoundError. */
  importModule(name: string): Ref {
    let m = this.#modules.get(name);
    if (m === undefined) {
      m = createModule(name, this.moduleContext);
      if (m === undefined) throw pyErr(ModuleNotFoundError, `No module named '${name}'`);
      this.#modules.set(name, m);
    }
    return m;
  }

  /** Compile `source` (throws {@link PyCompileError}) and remember its lines for tracebacks. */
  compile(source: string, filename = this.filename): CodeObject {
    this.sources.set(filename, source.split('\n'));
    return compile(source, filename);
  }

  /** A thread that runs `source` (or a compiled module code object) as the main module body. */
  mainThread(source: string | CodeObject, options: { id?: number; name?: string } = {}): VmThread {
    let code: CodeObject;
    if (typeof source === 'string') {
      this.#source = source;
      code = this.compile(source);
    } else code = source;
    const th = new Thread(this, options.id ?? this.mainThreadId, options.name ?? 'MainThread', toJS);
    this.#in(() => th.frames.push(new Frame(code, [], this.globals, 0)));
    return th;
  }

  /**
   * A thread that calls `target(*args)`; `target` is the opaque callable handed to
   * `host.startThread` (or any callable ref of this interpreter), `args` refs (borrowed: the
   * thread takes its own references).
   */
  threadFor(target: PyCallable | PyValue, args: PyValue[], options: { id: number; name: string }): VmThread {
    return this.#in(() => {
      const th = new Thread(this, options.id, options.name, toJS);
      const fn = target as Ref;
      const pyArgs = args as Ref[];
      if (kindOf(fn) === K_FUNCTION && !funcCode(fn).isGen) {
        const locals = bindArgs(fn, pyArgs, null);
        incref(fn);
        th.frames.push(new Frame(funcCode(fn), locals, funcGlobals(fn), fn));
      } else {
        // builtins and other callables: run them from a one-instruction trampoline frame
        incref(fn);
        th.frames.push(new Frame(trampoline(), [fn, newTuple(pyArgs)], this.globals, 0));
      }
      return th;
    });
  }

  /**
   * A thread that calls the global function `name` with JS arguments (converted with
   * {@link fromJS}); NameError (as a {@link PyError}) when it is not set.
   */
  threadForGlobal(name: string, jsArgs: readonly unknown[], options: { id: number; name: string }): VmThread {
    return this.#in(() => {
      const fn = H.dictGetStr(this.globals, name);
      if (fn === 0)
        throw new PyError({ type: 'NameError', message: `name '${name}' is not defined`, traceback: '' });
      const args = fromAll(jsArgs);
      try {
        return this.threadFor(fn, args, options);
      } finally {
        for (const a of args) decref(a);
      }
    });
  }

  /** Run `source` to completion in this interpreter (blocking builtins must complete synchronously). */
  exec(source: string): void {
    const th = this.mainThread(source);
    const r = runToEnd(th);
    if (r) throw new PyError(r);
  }

  /**
   * Call global function `name` with JS arguments (converted with {@link fromJS}); returns the
   * result converted with {@link toJS}. Python exceptions throw {@link PyError}.
   */
  call(name: string, ...jsArgs: unknown[]): unknown {
    const th = this.#in(() => {
      const fn = H.dictGetStr(this.globals, name);
      if (fn === 0)
        throw new PyError({ type: 'NameError', message: `name '${name}' is not defined`, traceback: '' });
      const args = fromAll(jsArgs);
      try {
        return this.threadFor(fn, args, { id: this.mainThreadId, name: 'MainThread' }) as Thread;
      } finally {
        for (const a of args) decref(a);
      }
    });
    const r = runToEnd(th);
    if (r) throw new PyError(r);
    return th.result;
  }

  /** Look up a global and convert it to JS (undefined if unset). */
  getGlobal(name: string): unknown {
    return this.#in(() => {
      const v = H.dictGetStr(this.globals, name);
      return v === 0 ? undefined : toJS(v);
    });
  }

  /** The global `name` as an opaque callable for {@link threadFor} (borrowed), or undefined. */
  globalCallable(name: string): PyCallable | undefined {
    return this.#in(() => {
      const v = H.dictGetStr(this.globals, name);
      return v === 0 ? undefined : (v as unknown as PyCallable);
    });
  }

  /** Set global `name` to a JS value converted with {@link fromJS}. */
  setGlobal(name: string, value: unknown): void {
    this.#in(() => {
      setSteal(this.globals, intern(name), fromJS(value));
      invalidateGlobalCaches();
    });
  }

  /**
   * Set global `name` from a JS value, updating a list, dict or set that is already there *in
   * place* when the new value has the same type (threads may hold the old object on their stacks
   * or in locals: they see the new contents, as with a shared object in CPython).
   */
  updateGlobal(name: string, value: unknown): void {
    this.#in(() => {
      const fresh = fromJS(value);
      const old = H.dictGetStr(this.globals, name);
      const t = old === 0 ? '' : H.typeOf(old);
      if (
        old !== 0 &&
        t === H.typeOf(fresh) &&
        (t === 'list' || t === 'dict' || (t === 'set' && !isFrozenSet(old)))
      ) {
        try {
          replaceContents(old, fresh, t);
        } finally {
          decref(fresh);
        }
      } else setSteal(this.globals, intern(name), fresh);
      invalidateGlobalCaches();
    });
  }

  /** Remove global `name` (no-op when unset). */
  deleteGlobal(name: string): void {
    this.#in(() => {
      if (H.dictDelete(this.globals, intern(name))) invalidateGlobalCaches();
    });
  }

  /** Names of the module's globals, in insertion order. */
  globalNames(): string[] {
    return this.#in(() => H.dictKeys(this.globals).map(strOf));
  }

  /** Describe a Python exception object (for runtimes that catch PyExc). */
  describe(exc: unknown): PyExceptionInfo | null {
    return exc instanceof PyExc ? this.#in(() => describeException(exc, this)) : null;
  }

  /**
   * Drop every reference the interpreter holds (globals, builtins, modules, thread objects). The heap keeps whatever cycles remain until `heap.collect()`. The interpreter must not
   * be used afterwards.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#in(() => {
      for (const m of this.#modules.values()) decref(m);
      this.#modules.clear();
      for (const t of this.#threads.values()) decref(t);
      this.#threads.clear();
      // break the globals <-> functions cycles now rather than leave them to the collector
      if (this.#ownsGlobals)
        for (const k of H.dictKeys(this.globals)) {
          incref(k);
          H.dictDelete(this.globals, k);
          decref(k);
        }
      decref(this.globals);
      decref(this.builtins);
    });
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function runToEnd(th: VmThread): PyExceptionInfo | null {
  for (;;) {
    const r = th.run(1e9);
    if (r.reason === 'finished') return null;
    if (r.reason === 'error') return r.error as PyExceptionInfo;
    if (r.reason === 'blocked') {
      (th as Thread).release();
      throw new Error(
        `MiniPy thread blocked on '${(r.blocked as { kind: string }).kind}' but the host suspends: run it through a runtime`,
      );
    }
  }
}

let trampolineCode: CodeObject | null = null;
/** Code for `return f(*args)` with f and args in fast locals 0 and 1. */
function trampoline(): CodeObject {
  if (trampolineCode) return trampolineCode;
  trampolineCode = compile('def _t(f, a):\n    return f(*a)\n', '<thread>').consts.find(
    (c) => c instanceof CodeObject,
  ) as CodeObject;
  return trampolineCode;
}

/** Result of {@link runSource}. */
export interface RunResult {
  /** Everything the program printed. */
  output: string;
  /** The uncaught exception, or null if the program finished normally. */
  exception: PyExceptionInfo | null;
}

/** Options for {@link runSource}. */
export interface RunOptions {
  filename?: string;
  /** Called with each chunk of output as it is printed. */
  stdout?: (text: string) => void;
  /** Called with error output (tracebacks of exceptions in threads); default: discarded. */
  stderr?: (text: string) => void;
  /** Stop a runaway program after this many instructions (RuntimeError "instruction budget exhausted"). */
  maxInstructions?: number;
  recursionLimit?: number;
  /** Heap to run in (default: a new one per run). */
  heap?: Heap;
  /** See {@link InterpreterOptions.jit}. */
  jit?: boolean;
}

/**
 * Run a single-threaded MiniPy program with the default host. Compile errors and uncaught
 * exceptions resolve as `exception` ({ type, message, traceback }); the promise rejects only on
 * internal bugs.
 */
export async function runSource(source: string, options: RunOptions = {}): Promise<RunResult> {
  let output = '';
  const sink = options.stdout;
  const interp = new Interpreter({
    filename: options.filename ?? '<string>',
    recursionLimit: options.recursionLimit,
    heap: options.heap,
    jit: options.jit,
    stdout: (t) => {
      output += t;
      sink?.(t);
    },
    stderr: options.stderr ?? (() => {}),
  });
  let th: Thread;
  try {
    th = interp.mainThread(source) as Thread;
  } catch (e) {
    if (e instanceof PyCompileError) {
      const tb = `  File "${e.filename}", line ${e.lineno}\n${e.pyType}: ${e.msg}\n`;
      return { output, exception: { type: e.pyType, message: e.msg, traceback: tb } };
    }
    throw e;
  }
  const budget = options.maxInstructions ?? Number.POSITIVE_INFINITY;
  th.nestedBudget = budget;
  let left = budget;
  for (;;) {
    const r = th.run(Math.min(left, 1e9));
    left -= r.executed;
    th.nestedBudget = left;
    if (r.reason === 'finished') return { output, exception: null };
    if (r.reason === 'error') {
      const err = r.error as PyExceptionInfo;
      if (err.type === 'SystemExit') return { output, exception: null };
      return { output, exception: err };
    }
    if (r.reason === 'blocked') {
      return {
        output,
        exception: {
          type: 'RuntimeError',
          message: `blocked on ${(r.blocked as { kind: string }).kind} in a single-threaded host`,
          traceback: '',
        },
      };
    }
    if (left <= 0) {
      return {
        output,
        exception: {
          type: 'RuntimeError',
          message: 'instruction budget exhausted',
          traceback: 'RuntimeError: instruction budget exhausted\n',
        },
      };
    }
  }
}

export { callValue, EXCEPTION_TYPES };
