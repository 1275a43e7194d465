/**
 * The Interpreter: one module namespace (`__main__`), its builtins and imported modules, and the
 * threads that run in it. Runtimes create threads with {@link Interpreter.mainThread} and
 * {@link Interpreter.threadFor}; embedders use {@link Interpreter.exec} and {@link Interpreter.call}.
 */
import { createBuiltins } from './builtins.js';
import { compile } from './compiler.js';
import { PyCompileError, PyError } from './errors.js';
import {
  bindArgs,
  callValue,
  describeException,
  Frame,
  type InterpreterState,
  PyFunction,
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
import {
  EXCEPTION_TYPES,
  ModuleNotFoundError,
  mkFloat,
  normBig,
  PyBuiltin,
  PyBytes,
  PyDict,
  PyExc,
  PyFloat,
  type PyInstance,
  PyList,
  type PyModule,
  PySet,
  PyTuple,
  PyTypeError,
  pyErr,
  type V,
} from './objects.js';
import { CodeObject } from './opcodes.js';

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
}

/** Convert a MiniPy value to a plain JS value (lists/tuples -> arrays, dict -> Map, bigints stay bigint). */
export function toJS(v: V): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case 'number':
    case 'bigint':
    case 'string':
    case 'boolean':
      return v;
  }
  if (v instanceof PyFloat) return v.v;
  if (v instanceof PyList || v instanceof PyTuple) return v.a.map(toJS);
  if (v instanceof PyDict) {
    const m = new Map<unknown, unknown>();
    const vals = v.vals.values();
    for (const k of v.keys.values()) m.set(toJS(k), toJS(vals.next().value as V));
    return m;
  }
  if (v instanceof PySet) return new Set([...v.m.values()].map(toJS));
  if (v instanceof PyBytes) return v.b.slice();
  return v;
}

/**
 * Convert a JS value to MiniPy: integers -> int, other numbers -> float, arrays -> list, Map and
 * plain objects -> dict, Set -> set, Uint8Array -> bytes, null/undefined -> None.
 */
export function fromJS(x: unknown): V {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case 'number':
      return Number.isSafeInteger(x) ? (x === 0 ? 0 : x) : mkFloat(x);
    case 'bigint':
      return normBig(x);
    case 'string':
    case 'boolean':
      return x;
  }
  if (Array.isArray(x)) return new PyList(x.map(fromJS));
  if (x instanceof Uint8Array) return new PyBytes(x.slice());
  if (x instanceof Map) {
    const d = new PyDict();
    for (const [k, v] of x) d.set(fromJS(k), fromJS(v));
    return d;
  }
  if (x instanceof Set) {
    const s = new PySet();
    for (const v of x) s.add(fromJS(v));
    return s;
  }
  if (x instanceof PyFloat || x instanceof PyList || x instanceof PyTuple || x instanceof PyDict) return x;
  if (typeof x === 'object') {
    const d = new PyDict();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) d.set(k, fromJS(v));
    return d;
  }
  throw pyErr(PyTypeError, `cannot convert JS ${typeof x} to a MiniPy value`);
}

/** A MiniPy interpreter: module globals + builtins + modules, shared by its threads. */
export class Interpreter implements InterpreterState {
  readonly builtins: Map<string, V>;
  /**
   * The `__main__` module's globals. JS code that changes entries while threads run must call
   * `invalidateGlobalCaches()` afterwards (LOAD_GLOBAL caches values per code object).
   */
  readonly globals = new Map<string, V>();
  readonly host: Host;
  readonly sources = new Map<string, string[]>();
  recursionLimit: number;
  readonly filename: string;
  readonly mainThreadId: number;
  #modules = new Map<string, PyModule>();
  #source = '';
  #threads = new Map<number, PyInstance>();
  #ctx: ModuleContext;

  constructor(options: InterpreterOptions = {}) {
    this.host = options.host ?? new DefaultHost(options.stdout, options.stderr);
    this.filename = options.filename ?? '<string>';
    this.recursionLimit = options.recursionLimit ?? 1000;
    this.mainThreadId = options.mainThreadId ?? 1;
    const host = this.host;
    this.builtins = createBuiltins((s) => host.write(s));
    this.globals.set('__name__', options.moduleName ?? '__main__');
    this.globals.set('__file__', this.filename);
    this.globals.set('__doc__', null);
    const self = this;
    this.#ctx = {
      host,
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

  /** `import name`: a supported module or ModuleNotFoundError. */
  importModule(name: string): PyModule {
    let m = this.#modules.get(name);
    if (!m) {
      m = createModule(name, this.#ctx);
      if (!m) throw pyErr(ModuleNotFoundError, `No module named '${name}'`);
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
    th.frames.push(new Frame(code, [], this.globals, null));
    return th;
  }

  /**
   * A thread that calls `target(*args)`; `target` is the opaque callable handed to
   * `host.startThread` (or any function value of this interpreter).
   */
  threadFor(target: PyCallable | PyValue, args: PyValue[], options: { id: number; name: string }): VmThread {
    const th = new Thread(this, options.id, options.name, toJS);
    const fn = target as V;
    const pyArgs = args as V[];
    if (fn instanceof PyFunction && !fn.isGen) {
      th.frames.push(new Frame(fn.code, bindArgs(fn, pyArgs, null), fn.globals, fn));
    } else {
      // builtins and other callables: run them from a one-instruction trampoline frame
      const tramp = trampoline();
      const f = new Frame(tramp, [fn, new PyTuple(pyArgs)], this.globals, null);
      th.frames.push(f);
    }
    return th;
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
    const fn = this.globals.get(name);
    if (fn === undefined)
      throw new PyError({ type: 'NameError', message: `name '${name}' is not defined`, traceback: '' });
    const th = this.threadFor(fn, jsArgs.map(fromJS), {
      id: this.mainThreadId,
      name: 'MainThread',
    }) as Thread;
    const r = runToEnd(th);
    if (r) throw new PyError(r);
    return th.result;
  }

  /** Look up a global and convert it to JS (undefined if unset). */
  getGlobal(name: string): unknown {
    const v = this.globals.get(name);
    return v === undefined ? undefined : toJS(v);
  }

  /** Describe a Python exception object (for runtimes that catch PyExc). */
  describe(exc: unknown): PyExceptionInfo | null {
    return exc instanceof PyExc ? describeException(exc, this) : null;
  }
}

function runToEnd(th: VmThread): PyExceptionInfo | null {
  for (;;) {
    const r = th.run(1e9);
    if (r.reason === 'finished') return null;
    if (r.reason === 'error') return r.error!;
    if (r.reason === 'blocked') {
      throw new Error(
        `MiniPy thread blocked on '${r.blocked!.kind}' but the host suspends: run it through a runtime`,
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
      if (r.error!.type === 'SystemExit') return { output, exception: null };
      return { output, exception: r.error! };
    }
    if (r.reason === 'blocked') {
      return {
        output,
        exception: {
          type: 'RuntimeError',
          message: `blocked on ${r.blocked!.kind} in a single-threaded host`,
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

export { callValue, EXCEPTION_TYPES, PyBuiltin };
