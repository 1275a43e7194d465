/**
 * The eval loop: one synchronous function, `execute`, that runs a thread's frame stack.
 *
 * Design note (why it looks like this):
 * - Python calls do not recurse on the JS stack: CALL pushes a {@link Frame} onto `thread.frames`
 *   and the loop continues with it; RETURN_VALUE pops. So the recursion limit is a plain counter
 *   (RecursionError), a JS stack overflow cannot happen from Python recursion, and a thread can
 *   stop between any two instructions and be resumed later (`thread.run(max)`).
 * - The hot path is a `switch` over dense opcode numbers with the frame's state (`pc`, `stack`,
 *   `locals`, `code`) in JS locals; ints are unboxed JS numbers, so `n -= 1` or `a + b` on small
 *   ints allocates nothing. Slow paths live in ops.ts.
 * - The eval breaker is checked where CPython checks it: after JUMP_BACKWARD, at function entry
 *   (after the new frame is pushed) and after a call to a builtin returns. `host.onBreaker`
 *   returning true stops the loop between instructions (reason 'breaker').
 * - Exceptions are JS throws of {@link PyExc}. The single `catch` unwinds: it looks for the
 *   innermost SETUP_FINALLY block of the current frame (restoring the value stack depth and the
 *   handled-exception stack), else pops the frame and continues in the caller.
 * - Builtins that call back into Python (sorted's key, map, generators driven by sum/list...) run
 *   a *nested* `execute` on the same thread with a base depth; the nested run ignores the breaker
 *   (it cannot stop mid-builtin) and cannot block under a suspending host (RuntimeError).
 */
import { floatRepr, formatValue, repr, reprHooks, str } from './format.js';
import {
  type BlockRequest,
  type Host,
  type PyExceptionInfo,
  type StepResult,
  SUSPEND,
  type VmThread,
} from './host.js';
import {
  AttributeError,
  BaseException,
  builtinType,
  compare,
  contains,
  EXCEPTION_TYPES,
  eq,
  functionType,
  GeneratorExit,
  generatorType,
  getIter,
  ImportError,
  isinstance,
  iterHooks,
  type Kw,
  MapKeyIter,
  NameError,
  objectId,
  PyBuiltin,
  PyCell,
  PyDict,
  PyExc,
  PyFloat,
  PyInstance,
  PyIter,
  PyList,
  PyModule,
  PyObject,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyType,
  PyTypeError,
  pyErr,
  RangeIter,
  RecursionError,
  RuntimeError,
  SeqIter,
  StopIteration,
  SystemError,
  toArray,
  truthy,
  typeName,
  typeOf,
  UnboundLocalError,
  type V,
  ValueError,
} from './objects.js';
import { CO_GENERATOR, CO_VARARGS, CO_VARKEYWORDS, type CodeObject } from './opcodes.js';
import {
  binaryOp,
  delItem,
  floatBinary,
  getItem,
  intBinary,
  setItem,
  unaryInvert,
  unaryNeg,
  unaryPos,
} from './ops.js';

type Slot = V | undefined;

/** A Python function object. */
export class PyFunction extends PyObject {
  /** True when calls can bind positional args directly (no defaults needed, *args, **kw, kw-only). */
  readonly simple: boolean;
  readonly nlocals: number;
  readonly isGen: boolean;
  constructor(
    readonly code: CodeObject,
    readonly globals: Map<string, V>,
    readonly defaults: V[] | null,
    readonly kwdefaults: Map<string, V> | null,
    readonly closure: PyCell[] | null,
    readonly interp: InterpreterState,
  ) {
    super();
    this.simple = (code.flags & (CO_VARARGS | CO_VARKEYWORDS)) === 0 && code.kwonlyargcount === 0;
    this.nlocals = code.varnames.length;
    this.isGen = (code.flags & CO_GENERATOR) !== 0;
    this.fastArgc = this.simple && !this.isGen ? code.argcount : -1;
  }
  /** Positional argument count for the CALL fast path, or -1 when the fast path does not apply. */
  readonly fastArgc: number;
  get name(): string {
    return this.code.name;
  }
}
PyFunction.prototype.cls = functionType;

/** What the eval loop needs from the interpreter that owns a function. */
export interface InterpreterState {
  readonly builtins: Map<string, V>;
  readonly host: Host;
  importModule(name: string): PyModule;
  recursionLimit: number;
  /** Source lines by filename, for tracebacks. */
  readonly sources: Map<string, string[]>;
}

/** One activation record. */
export class Frame {
  pc = 0;
  readonly stack: Slot[] = [];
  /** Block stack triples: handler pc, stack depth, exc_info depth. */
  blocks: number[] | null = null;
  readonly cells: PyCell[] | null;
  excBase = 0;
  gen: PyGen | null = null;
  constructor(
    readonly code: CodeObject,
    public locals: Slot[],
    public globals: Map<string, V>,
    public fn: PyFunction | null,
  ) {
    const nc = code.cellvars.length;
    if (nc + code.freevars.length > 0) {
      const cells: PyCell[] = [];
      for (let i = 0; i < nc; i++) {
        const a = code.cell2arg[i];
        cells.push(new PyCell(a >= 0 ? (locals[a] as V) : undefined));
      }
      if (fn?.closure) for (const c of fn.closure) cells.push(c);
      this.cells = cells;
    } else this.cells = null;
  }
}

/** A generator object: a suspended frame. */
export class PyGen extends PyIter {
  /** The value of the generator's `return` (what `yield from` evaluates to). */
  returnValue: V = null;
  started = false;
  running = false;
  done = false;
  constructor(
    readonly frame: Frame,
    readonly name: string,
    readonly thread: () => Thread,
  ) {
    super();
    frame.gen = this;
  }
  next(): V | undefined {
    return resumeGen(this);
  }
}
PyGen.prototype.cls = generatorType;

reprHooks.repr = (v: V): string | undefined => {
  if (v instanceof PyFunction) return `<function ${v.code.qualname} at 0x${objectId(v).toString(16)}>`;
  if (v instanceof PyGen)
    return `<generator object ${v.frame.code.qualname} at 0x${objectId(v).toString(16)}>`;
  return undefined;
};

/** Marker returned by a native that blocked under a suspending host. */
export const BLOCKED_MARK = new PyTuple([]);

// exit codes of execute()
const BUDGET = 0;
const BREAKER = 1;
const BLOCKED = 2;
const RETURNED = 3;
const ERROR = 4;
const YIELDED = 5;

const CHUNK = 1 << 30;

/** Thrown through nested runs when the instruction budget is exhausted inside a callback. */
class BudgetExhausted extends Error {}

/**
 * Bumped by every store to any module globals: LOAD_GLOBAL caches (per code object) are valid only
 * for the epoch they were filled in. JS code that mutates `Interpreter.globals` must call
 * {@link invalidateGlobalCaches}.
 */
let globalsEpoch = 0;

/** Invalidate LOAD_GLOBAL caches after changing a globals map from JS. */
export function invalidateGlobalCaches(): void {
  globalsEpoch++;
}

/** The thread currently executing (JS is single-threaded per worker: one at a time). */
let current: Thread | null = null;

/** The thread executing now; builtins use it for host calls. */
export function currentThread(): Thread {
  if (!current) throw new Error('no MiniPy thread is running');
  return current;
}

/** A MiniPy thread: a frame stack plus the handled-exception stack. */
export class Thread implements VmThread {
  readonly frames: Frame[] = [];
  readonly excStack: PyExc[] = [];
  executed = 0;
  done = false;
  result: unknown = undefined;
  /** Python return value of the outermost frame once finished. */
  retval: V = null;
  error: PyExceptionInfo | null = null;
  errorExc: PyExc | null = null;
  blocked: BlockRequest | null = null;
  pendingFinish: ((v: unknown) => V) | null = null;
  pendingThrow: unknown = null;
  /** Depth of nested runs (builtins calling back into Python). */
  nesting = 0;
  /** Instructions still allowed in nested runs (refilled per top-level run). */
  nestedBudget = Number.POSITIVE_INFINITY;
  /** Total budget for the thread; nested runs draw from it too. */
  totalBudget = Number.POSITIVE_INFINITY;
  readonly host: Host;
  constructor(
    readonly interp: InterpreterState,
    readonly id: number,
    readonly name: string,
    readonly toJS: (v: V) => unknown,
  ) {
    this.host = interp.host;
  }

  run(maxInstructions: number): StepResult {
    if (this.done)
      return { reason: this.error ? 'error' : 'finished', executed: 0, error: this.error ?? undefined };
    if (this.pendingFinish) throw new Error('thread is blocked: call resume(value) before run()');
    const prev = current;
    current = this;
    let code: number;
    let executed = 0;
    try {
      // Chunks of at most 2**30 keep the loop's budget counter a small integer (an unboxed Smi in V8).
      let left = Math.max(0, Math.floor(maxInstructions));
      for (;;) {
        const chunk = Math.min(left, CHUNK);
        this.stepBase = this.executed + executed;
        this.stepUsed = 0;
        code = execute(this, chunk, 0, false);
        executed += this.lastExecuted;
        left -= this.lastExecuted;
        if (code !== BUDGET || left <= 0) break;
      }
    } finally {
      current = prev;
    }
    this.executed += executed;
    switch (code) {
      case BUDGET:
        return { reason: 'budget', executed };
      case BREAKER:
        return { reason: 'breaker', executed };
      case BLOCKED: {
        const blocked = this.blocked!;
        return { reason: 'blocked', executed, blocked };
      }
      case RETURNED:
        this.done = true;
        this.result = this.toJS(this.retval);
        return { reason: 'finished', executed };
      default:
        this.done = true;
        return { reason: 'error', executed, error: this.error! };
    }
  }

  resume(value: unknown): void {
    const fin = this.pendingFinish;
    if (!fin) throw new Error('thread is not blocked');
    this.pendingFinish = null;
    this.blocked = null;
    const f = this.frames[this.frames.length - 1];
    try {
      f.stack.push(fin(value));
    } catch (e) {
      f.stack.push(null);
      this.pendingThrow = e;
    }
  }
  /** Set by execute(): instructions executed by the last call (nested runs included). */
  lastExecuted = 0;
  /** Instructions of finished nested runs not yet added to the enclosing run's count. */
  nestedExecuted = 0;
  get nextOpcode(): number {
    if (this.done || this.frames.length === 0) return -1;
    const f = this.frames[this.frames.length - 1];
    return f.pc < f.code.code.length ? f.code.code[f.pc] & 0xff : -1;
  }
  /** `executed` at the start of the current execute() chunk. */
  stepBase = 0;
  /** Instructions of the current chunk done before the builtin now running (set before native calls). */
  stepUsed = 0;
  /**
   * Instructions executed so far including the current `run()` step, exact at the moment a
   * builtin calls into the host (so a simulator can time host callbacks within a step).
   */
  get executedNow(): number {
    return this.stepBase + this.stepUsed;
  }
}

/** Block on a host request from inside a builtin. Returns the builtin's result or BLOCKED_MARK. */
export function hostBlock(request: BlockRequest, finish: (v: unknown) => V): V {
  const th = currentThread();
  const r = th.host.block(th, request);
  if (r === SUSPEND) {
    if (th.nesting > 0)
      throw pyErr(RuntimeError, 'blocking call inside a callback is not supported by this runtime');
    th.blocked = request;
    th.pendingFinish = finish;
    return BLOCKED_MARK;
  }
  return finish(r);
}

// ---- calls ----

function argError(fn: PyFunction, msg: string): never {
  throw pyErr(PyTypeError, `${fn.code.qualname}() ${msg}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function namesList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** Bind arguments to a new locals array (CPython's error messages). */
export function bindArgs(fn: PyFunction, args: V[], kw: Kw): Slot[] {
  const code = fn.code;
  const locals: Slot[] = new Array(fn.nlocals);
  const argc = code.argcount;
  const kwonly = code.kwonlyargcount;
  const hasVar = (code.flags & CO_VARARGS) !== 0;
  const hasKw = (code.flags & CO_VARKEYWORDS) !== 0;
  const n = Math.min(args.length, argc);
  for (let i = 0; i < n; i++) locals[i] = args[i];
  let vi = argc + kwonly;
  if (hasVar) locals[vi++] = new PyTuple(args.slice(argc));
  else if (args.length > argc) {
    const ndef = fn.defaults?.length ?? 0;
    const kwGiven = kw
      ? [...kw.keys()].filter(
          (k) => code.varnames.indexOf(k) >= argc && code.varnames.indexOf(k) < argc + kwonly,
        ).length
      : 0;
    const takes = ndef ? `from ${argc - ndef} to ${argc}` : String(argc);
    const given = kwGiven
      ? `${args.length} positional argument${args.length === 1 ? '' : 's'} (and ${plural(kwGiven, 'keyword-only argument')}) were given`
      : `${args.length} ${args.length === 1 ? 'was' : 'were'} given`;
    argError(fn, `takes ${takes} positional argument${argc === 1 && !ndef ? '' : 's'} but ${given}`);
  }
  let kwdict: PyDict | null = null;
  if (hasKw) {
    kwdict = new PyDict();
    locals[vi] = kwdict;
  }
  if (kw) {
    for (const [k, v] of kw) {
      const idx = code.varnames.indexOf(k);
      if (idx >= 0 && idx < argc + kwonly) {
        if (locals[idx] !== undefined) argError(fn, `got multiple values for argument '${k}'`);
        locals[idx] = v;
      } else if (kwdict) kwdict.set(k, v);
      else argError(fn, `got an unexpected keyword argument '${k}'`);
    }
  }
  // defaults
  const defs = fn.defaults;
  const missing: string[] = [];
  for (let i = 0; i < argc; i++) {
    if (locals[i] === undefined) {
      const di = i - (argc - (defs?.length ?? 0));
      if (defs && di >= 0) locals[i] = defs[di];
      else missing.push(code.varnames[i]);
    }
  }
  if (missing.length)
    argError(fn, `missing ${plural(missing.length, 'required positional argument')}: ${namesList(missing)}`);
  for (let i = argc; i < argc + kwonly; i++) {
    if (locals[i] === undefined) {
      const d = fn.kwdefaults?.get(code.varnames[i]);
      if (d !== undefined) locals[i] = d;
      else missing.push(code.varnames[i]);
    }
  }
  if (missing.length)
    argError(
      fn,
      `missing ${plural(missing.length, 'required keyword-only argument')}: ${namesList(missing)}`,
    );
  return locals;
}

/** Call any callable from JS (builtins calling back into Python use this). */
export function callValue(f: V, args: V[], kw: Kw = null): V {
  if (f instanceof PyBuiltin) return f.self === undefined ? f.fn(args, kw) : f.fn([f.self, ...args], kw);
  if (f instanceof PyFunction) {
    const th = currentThread();
    if (f.fastArgc === args.length && !kw && f.code.poolable) {
      // callbacks (sort keys, map, filter) reuse recycled frames like the CALL fast path
      const fr = (f.code.spareFrame ?? f.code.framePool.pop()) as Frame | undefined;
      if (fr !== undefined) {
        if (fr === f.code.spareFrame) f.code.spareFrame = undefined;
        const loc = fr.locals;
        for (let i = 0; i < args.length; i++) loc[i] = args[i];
        for (let i = args.length; i < loc.length; i++) loc[i] = undefined;
        fr.fn = f;
        fr.globals = f.globals;
        fr.pc = 0;
        return runNested(th, fr);
      }
    }
    const locals = f.simple && !kw && args.length === f.code.argcount ? args.slice() : bindArgs(f, args, kw);
    if (locals.length < f.nlocals) locals.length = f.nlocals;
    const frame = new Frame(f.code, locals, f.globals, f);
    if (f.isGen) return new PyGen(frame, f.code.name, currentThread);
    return runNested(th, frame);
  }
  if (f instanceof PyType) {
    if (!f.ctor) throw pyErr(PyTypeError, `cannot create '${f.name}' instances`);
    return f.ctor(args, kw);
  }
  throw pyErr(PyTypeError, `'${typeName(f)}' object is not callable`);
}

function runNested(th: Thread, frame: Frame): V {
  if (th.frames.length >= th.interp.recursionLimit)
    throw pyErr(RecursionError, 'maximum recursion depth exceeded');
  frame.excBase = th.excStack.length;
  th.frames.push(frame);
  const base = th.frames.length - 1;
  th.nesting++;
  try {
    runNestedFrames(th, base);
  } finally {
    th.nesting--;
  }
  return th.retval;
}

function resumeGen(g: PyGen, sent: V = null): V | undefined {
  if (g.done) return undefined;
  if (g.running) throw pyErr(ValueError, 'generator already executing');
  const th = currentThread();
  if (th.frames.length >= th.interp.recursionLimit)
    throw pyErr(RecursionError, 'maximum recursion depth exceeded');
  if (g.started) g.frame.stack.push(sent);
  else if (sent !== null) throw pyErr(PyTypeError, "can't send non-None value to a just-started generator");
  g.started = true;
  g.running = true;
  g.frame.excBase = th.excStack.length;
  th.frames.push(g.frame);
  const base = th.frames.length - 1;
  th.nesting++;
  let code: number;
  try {
    code = runNestedFrames(th, base);
  } catch (e) {
    g.done = true;
    throw e;
  } finally {
    th.nesting--;
    g.running = false;
  }
  if (code === YIELDED) return th.retval;
  g.done = true;
  return undefined;
}

/**
 * `generator.close()`: throw GeneratorExit in at the paused `yield` so `finally` blocks run.
 * CPython does this when the last reference goes away; see {@link closeIfUnreachable}.
 */
export function closeGen(g: PyGen): void {
  if (g.done || g.running) return;
  if (!g.started) {
    g.done = true;
    return;
  }
  const th = currentThread();
  g.running = true;
  g.frame.excBase = th.excStack.length;
  th.frames.push(g.frame);
  const base = th.frames.length - 1;
  th.nesting++;
  th.pendingThrow = pyErr(GeneratorExit);
  let code: number;
  try {
    code = runNestedFrames(th, base);
  } catch (e) {
    g.done = true;
    if (e instanceof PyExc && (e.type === GeneratorExit || e.type === StopIteration)) return;
    throw e;
  } finally {
    th.nesting--;
    g.running = false;
  }
  g.done = true;
  if (code === YIELDED) throw pyErr(RuntimeError, 'generator ignored GeneratorExit');
}

/**
 * MiniPy has no refcounts (values are JS values), so where CPython would drop the last reference
 * to a suspended generator (popping a `for` loop's iterator on `break`, `del name`) the loop asks
 * whether anything reachable from the thread's frames and globals still refers to it, and closes
 * it if not. Only reachability from this thread is checked.
 */
function closeIfUnreachable(th: Thread, g: PyGen): void {
  const seen = new Set<object>();
  const found = (v: unknown): boolean => {
    if (v === g) return true;
    if (v === null || typeof v !== 'object' || seen.has(v)) return false;
    seen.add(v);
    if (v instanceof PyList || v instanceof PyTuple) return v.a.some(found);
    if (v instanceof PyDict) {
      for (const x of v.vals.values()) if (found(x)) return true;
      return false;
    }
    if (v instanceof PySet) return false;
    if (v instanceof PyCell) return found(v.v);
    if (v instanceof PyFunction) return (v.defaults ?? []).some(found) || (v.closure ?? []).some(found);
    if (v instanceof PyInstance) {
      for (const x of v.attrs.values()) if (found(x)) return true;
      return false;
    }
    if (v instanceof PyGen) return scanFrame(v.frame);
    return false;
  };
  const scanFrame = (fr: Frame): boolean =>
    fr.locals.some(found) || fr.stack.some(found) || (fr.cells ?? []).some(found);
  const globalsSeen = new Set<Map<string, V>>();
  for (const fr of th.frames) {
    if (scanFrame(fr)) return;
    if (!globalsSeen.has(fr.globals)) {
      globalsSeen.add(fr.globals);
      for (const x of fr.globals.values()) if (found(x)) return;
    }
  }
  closeGen(g);
}

generatorType.methods.set(
  'send',
  new PyBuiltin('send', (a) => {
    const r = resumeGen(a[0] as PyGen, a[1] ?? null);
    if (r === undefined) throw pyErr(StopIteration);
    return r;
  }),
);
generatorType.methods.set(
  'throw',
  new PyBuiltin('throw', (a) => {
    const g = a[0] as PyGen;
    const exc = makeExc(a[1] ?? null);
    if (g.done) throw exc;
    if (!g.started) {
      // throwing into a just-created generator raises at its first line without running it
      g.done = true;
      throw exc;
    }
    if (g.running) throw pyErr(ValueError, 'generator already executing');
    const th = currentThread();
    g.running = true;
    g.frame.excBase = th.excStack.length;
    th.frames.push(g.frame);
    const base = th.frames.length - 1;
    th.nesting++;
    th.pendingThrow = exc;
    let code: number;
    try {
      code = runNestedFrames(th, base);
    } catch (e) {
      g.done = true;
      throw e;
    } finally {
      th.nesting--;
      g.running = false;
    }
    if (code === YIELDED) return th.retval;
    g.done = true;
    throw pyErr(StopIteration);
  }),
);
generatorType.methods.set(
  'close',
  new PyBuiltin('close', (a) => {
    closeGen(a[0] as PyGen);
    return null;
  }),
);

iterHooks.getIter = (v: V): PyIter | undefined => {
  if (v instanceof PyGen) return v;
  return undefined;
};

// ---- attributes ----

/** `getattr(obj, name)`. */
export function getAttr(obj: V, name: string): V {
  if (obj instanceof PyModule) {
    const v = obj.dict.get(name);
    if (v !== undefined) return v;
    if (name === '__name__') return obj.name;
    throw pyErr(AttributeError, `module '${obj.name}' has no attribute '${name}'`);
  }
  if (obj instanceof PyInstance) {
    const v = obj.attrs.get(name);
    if (v !== undefined) return v;
  }
  if (obj instanceof PyExc) {
    switch (name) {
      case 'args':
        return new PyTuple(obj.args);
      case '__cause__':
        return obj.cause;
      case '__context__':
        return obj.context;
      case '__suppress_context__':
        return obj.suppressContext;
      case '__class__':
        return obj.type;
      case '__traceback__':
        return null;
    }
    const v = obj.attrs?.get(name);
    if (v !== undefined) return v;
  }
  if (obj instanceof PyFunction) {
    if (name === '__name__') return obj.code.name;
    if (name === '__qualname__') return obj.code.qualname;
    if (name === '__module__') return (obj.globals.get('__name__') as V) ?? null;
    if (name === '__defaults__') return obj.defaults ? new PyTuple(obj.defaults) : null;
    if (name === '__doc__') return null;
  }
  if (obj instanceof PyType) {
    if (name === '__name__' || name === '__qualname__') return obj.name;
    const a = obj.attrs.get(name);
    if (a !== undefined) return a;
    const m = obj.methods.get(name);
    if (m) return m;
    if (name === '__base__') return obj.base;
  }
  if (obj instanceof PyBuiltin && name === '__name__') return obj.name;
  if (name === '__class__') return typeOf(obj);
  const t = typeOf(obj);
  for (let c: PyType | null = t; c; c = c.base) {
    const m = c.methods.get(name);
    if (m) return new PyBuiltin(m.name, m.fn, obj, c.name);
    const a = c.attrs.get(name);
    if (a !== undefined && c === t && !(obj instanceof PyType)) {
      if (a instanceof PyBuiltin && a.name === '__property__') return a.fn([obj], null);
    }
  }
  if (obj instanceof PyType)
    throw pyErr(AttributeError, `type object '${obj.name}' has no attribute '${name}'`);
  throw pyErr(AttributeError, `'${t.name}' object has no attribute '${name}'`);
}

/** `setattr(obj, name, v)`. */
export function setAttr(obj: V, name: string, v: V): void {
  if (obj instanceof PyInstance) {
    const setter = obj.type.attrs.get(`__set_${name}__`);
    if (setter instanceof PyBuiltin) {
      setter.fn([obj, v], null);
      return;
    }
    obj.attrs.set(name, v);
    return;
  }
  if (obj instanceof PyModule) {
    obj.dict.set(name, v);
    return;
  }
  if (obj instanceof PyExc) {
    if (name === '__cause__') {
      obj.cause = v as PyExc | null;
      obj.suppressContext = true;
      return;
    }
    obj.attrs ??= new Map();
    obj.attrs.set(name, v);
    return;
  }
  if (obj instanceof PyFunction)
    throw pyErr(AttributeError, `MiniPy functions do not support attribute assignment ('${name}')`);
  throw pyErr(AttributeError, `'${typeName(obj)}' object has no attribute '${name}'`);
}

// ---- exceptions ----

function toPyExc(e: unknown): PyExc {
  if (e instanceof PyExc) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return pyErr(RecursionError, 'maximum recursion depth exceeded');
  if (e instanceof Error) {
    // host errors may name the Python exception to raise (e.g. a worker runtime's RuntimeError)
    const pyType = (e as Error & { pyType?: unknown }).pyType;
    const t = typeof pyType === 'string' ? EXCEPTION_TYPES.get(pyType) : undefined;
    if (t) return pyErr(t, e.message);
    return pyErr(SystemError, `internal error: ${e.message}`);
  }
  return pyErr(SystemError, `internal error: ${String(e)}`);
}

/** Instantiate an exception from a raised value (`raise ValueError` or `raise ValueError('x')`). */
function makeExc(v: V): PyExc {
  if (v instanceof PyExc) return v;
  if (v instanceof PyType && v.isExc) {
    const r = callValue(v, []);
    if (r instanceof PyExc) return r;
  }
  return pyErr(PyTypeError, 'exceptions must derive from BaseException');
}

function formatTbEntries(exc: PyExc, interp: InterpreterState, out: string[]): void {
  out.push('Traceback (most recent call last):');
  for (const [file, line, name] of exc.tb) {
    out.push(`  File "${file}", line ${line}, in ${name}`);
    const src = interp.sources.get(file)?.[line - 1];
    if (src?.trim()) out.push(`    ${src.trim()}`);
  }
}

/** Python-style traceback text with chained exceptions. */
export function formatException(exc: PyExc, interp: InterpreterState, seen = new Set<PyExc>()): string {
  seen.add(exc);
  const out: string[] = [];
  const chained = exc.cause ?? (exc.suppressContext ? null : exc.context);
  if (chained && !seen.has(chained)) {
    out.push(formatException(chained, interp, seen));
    out.push(
      exc.cause
        ? '\nThe above exception was the direct cause of the following exception:\n'
        : '\nDuring handling of the above exception, another exception occurred:\n',
    );
  }
  if (exc.tb.length) formatTbEntries(exc, interp, out);
  const msg = str(exc);
  out.push(msg ? `${exc.type.name}: ${msg}` : exc.type.name);
  return out.join('\n');
}

function excInfo(exc: PyExc, interp: InterpreterState): PyExceptionInfo {
  return { type: exc.type.name, message: str(exc), traceback: `${formatException(exc, interp)}\n` };
}

/** Exception info for a PyExc (used by the interpreter for JS-side reporting). */
export function describeException(exc: PyExc, interp: InterpreterState): PyExceptionInfo {
  return excInfo(exc, interp);
}

function addTb(exc: PyExc, f: Frame, pc: number): void {
  const last = (exc as PyExc & { lastFrame?: Frame }).lastFrame;
  if (last === f) return;
  (exc as PyExc & { lastFrame?: Frame }).lastFrame = f;
  exc.tb.unshift([f.code.filename, f.code.lines[Math.max(0, pc - 1)], f.code.name]);
}

// ---- the loop ----

function unboundLocal(code: CodeObject, i: number): never {
  throw pyErr(
    UnboundLocalError,
    `cannot access local variable '${code.varnames[i]}' where it is not associated with a value`,
  );
}

function nameError(name: string): never {
  throw pyErr(NameError, `name '${name}' is not defined`);
}

function derefError(code: CodeObject, i: number): never {
  if (i < code.cellvars.length) {
    throw pyErr(
      UnboundLocalError,
      `cannot access local variable '${code.cellvars[i]}' where it is not associated with a value`,
    );
  }
  throw pyErr(
    NameError,
    `cannot access free variable '${code.freevars[i - code.cellvars.length]}' where it is not associated with a value in enclosing scope`,
  );
}

function checkExcType(t: V): void {
  if (t instanceof PyTuple) {
    for (const x of t.a) if (!(x instanceof PyType && x.isExc)) checkExcType(null);
    return;
  }
  if (!(t instanceof PyType && t.isExc))
    throw pyErr(PyTypeError, 'catching classes that do not inherit from BaseException is not allowed');
}

function excMatches(exc: V, t: V): boolean {
  if (t instanceof PyTuple) return t.a.some((x) => excMatches(exc, x));
  return exc instanceof PyExc && exc.type.isSubtype(t as PyType);
}

function unpackError(expected: number, got: number): never {
  if (got < expected)
    throw pyErr(ValueError, `not enough values to unpack (expected ${expected}, got ${got})`);
  throw pyErr(ValueError, `too many values to unpack (expected ${expected})`);
}

function callNative(fn: V, args: V[], kw: Kw): V {
  if (fn instanceof PyBuiltin) return fn.self === undefined ? fn.fn(args, kw) : fn.fn([fn.self, ...args], kw);
  return callValue(fn, args, kw);
}

function kwFromNames(names: PyTuple, values: V[]): Map<string, V> {
  const m = new Map<string, V>();
  const n = names.a.length;
  for (let i = 0; i < n; i++) m.set(names.a[i] as string, values[values.length - n + i]);
  return m;
}

function withEnterExit(mgr: V): [V, V] {
  const t = typeOf(mgr);
  const enter = t.methods.get('__enter__');
  const exit = t.methods.get('__exit__');
  if (!enter || !exit)
    throw pyErr(PyTypeError, `'${t.name}' object does not support the context manager protocol`);
  return [new PyBuiltin('__exit__', exit.fn, mgr), enter.fn([mgr], null)];
}

/**
 * Run the frames above `base` to completion (RETURNED/YIELDED) in chunks of at most 2**30
 * instructions, drawing on the thread's nested budget; a spent budget throws BudgetExhausted.
 */
function runNestedFrames(th: Thread, base: number): number {
  for (;;) {
    const chunk = Math.min(th.nestedBudget, CHUNK);
    if (!(chunk > 0)) throw new BudgetExhausted();
    const code = execute(th, chunk, base, true);
    if (code !== BUDGET) return code;
  }
}

/**
 * Record what an execute() call did: `used` counts this level's instructions plus nested runs
 * already folded in; nested runs not yet folded are still in `th.nestedExecuted`.
 */
function exitCount(th: Thread, used: number, folded: number, nested: boolean): void {
  const total = used + th.nestedExecuted;
  th.lastExecuted = total;
  if (nested) {
    // deeper runs already charged their own instructions to the nested budget
    th.nestedBudget -= used - folded;
    th.nestedExecuted = total;
  } else th.nestedExecuted = 0;
}

/**
 * Run `th` for at most `budget` instructions. `base` is the index of the bottom frame of this
 * run; `nested` runs return RETURNED/YIELDED to a builtin and rethrow exceptions as JS throws.
 */
function execute(th: Thread, budget: number, base: number, nested: boolean): number {
  const frames = th.frames;
  const excStack = th.excStack;
  const host = th.host;
  const interp = th.interp;
  const builtins = interp.builtins;
  let f = frames[frames.length - 1];
  let code = f.code;
  let instrs = code.quick;
  let orig = code.code;
  let consts = code.consts;
  let locals = f.locals;
  let stack = f.stack;
  let pc = f.pc;
  let remaining = budget;
  let kwnames: PyTuple | null = null;
  /** Instructions of nested runs (generators, callbacks) folded into `remaining`. */
  let folded = 0;
  for (;;) {
    try {
      if (th.pendingThrow !== null) {
        const e = th.pendingThrow;
        th.pendingThrow = null;
        throw e;
      }
      for (;;) {
        if (remaining <= 0) {
          f.pc = pc;
          exitCount(th, budget - remaining, folded, nested);
          return BUDGET;
        }
        remaining--;
        const w = instrs[pc++];
        switch (w & 0xff) {
          case 0: // NOP
          case 63: // RESUME
            continue;
          case 1: {
            // POP_TOP
            const v = stack.pop();
            if (v instanceof PyGen && v.started && !v.done) {
              f.pc = pc;
              closeIfUnreachable(th, v);
            }
            continue;
          }
          case 2: // PUSH_NULL
            stack.push(undefined);
            continue;
          case 3: // COPY
            stack.push(stack[stack.length - (w >> 8)]);
            continue;
          case 4: {
            // SWAP
            const i = stack.length - (w >> 8);
            const t = stack[i];
            stack[i] = stack[stack.length - 1];
            stack[stack.length - 1] = t;
            continue;
          }
          case 5: // LOAD_CONST
            stack.push(consts[w >> 8]);
            continue;
          case 6: {
            // LOAD_FAST
            const v = locals[w >> 8];
            if (v === undefined) unboundLocal(code, w >> 8);
            stack.push(v);
            continue;
          }
          case 7: // STORE_FAST
            locals[w >> 8] = stack.pop();
            continue;
          case 8: {
            // DELETE_FAST
            const v = locals[w >> 8];
            if (v === undefined) unboundLocal(code, w >> 8);
            locals[w >> 8] = undefined;
            if (v instanceof PyGen && v.started && !v.done) {
              f.pc = pc;
              closeIfUnreachable(th, v);
            }
            continue;
          }
          case 9: // LOAD_NAME
          case 12: {
            // LOAD_GLOBAL: per-code cache of name -> value, valid while no global store happened
            const isGlobal = (w & 0xff) === 12 /* LOAD_GLOBAL */;
            const arg = w >> 8;
            const ni = isGlobal ? arg >> 1 : arg;
            if (isGlobal && arg & 1) stack.push(undefined);
            if (code.gcacheEpoch[ni] === globalsEpoch && code.gcacheMap === f.globals) {
              stack.push(code.gcache[ni]);
              continue;
            }
            const name = code.names[ni];
            let v = f.globals.get(name);
            if (v === undefined) {
              v = builtins.get(name);
              if (v === undefined) nameError(name);
            }
            if (code.gcacheMap !== f.globals) {
              code.gcacheMap = f.globals;
              code.gcacheEpoch.fill(-1);
            }
            code.gcache[ni] = v;
            code.gcacheEpoch[ni] = globalsEpoch;
            stack.push(v);
            continue;
          }
          case 10: // STORE_NAME
          case 13: // STORE_GLOBAL
            globalsEpoch++;
            f.globals.set(code.names[w >> 8], stack.pop() as V);
            continue;
          case 11: // DELETE_NAME
          case 14: {
            // DELETE_GLOBAL
            globalsEpoch++;
            const name = code.names[w >> 8];
            const v = f.globals.get(name);
            if (!f.globals.delete(name)) nameError(name);
            if (v instanceof PyGen && v.started && !v.done) {
              f.pc = pc;
              closeIfUnreachable(th, v);
            }
            continue;
          }
          case 15: {
            // LOAD_DEREF
            const v = f.cells![w >> 8].v;
            if (v === undefined) derefError(code, w >> 8);
            stack.push(v);
            continue;
          }
          case 16: // STORE_DEREF
            f.cells![w >> 8].v = stack.pop() as V;
            continue;
          case 17: // DELETE_DEREF
            if (f.cells![w >> 8].v === undefined) derefError(code, w >> 8);
            f.cells![w >> 8].v = undefined;
            continue;
          case 18: // LOAD_CLOSURE
            stack.push(f.cells![w >> 8]);
            continue;
          case 19: {
            // LOAD_ATTR
            const o = stack.pop() as V;
            stack.push(getAttr(o, code.names[w >> 8]));
            continue;
          }
          case 20: {
            // STORE_ATTR
            const o = stack.pop() as V;
            const v = stack.pop() as V;
            setAttr(o, code.names[w >> 8], v);
            continue;
          }
          case 80: // DELETE_ATTR
            throw pyErr(AttributeError, `cannot delete attribute '${code.names[w >> 8]}' in MiniPy`);
          case 21: {
            // LOAD_METHOD
            const o = stack.pop() as V;
            const name = code.names[w >> 8];
            if (!(o instanceof PyModule || o instanceof PyType || o instanceof PyExc)) {
              let m: PyBuiltin | undefined;
              const t = typeOf(o);
              if (!(o instanceof PyInstance && o.attrs.has(name))) {
                for (let c: PyType | null = t; c && !m; c = c.base) m = c.methods.get(name);
              }
              if (m) {
                stack.push(m, o);
                continue;
              }
            }
            stack.push(undefined, getAttr(o, name));
            continue;
          }
          case 22: {
            // BINARY_OP
            const b = stack.pop() as V;
            const a = stack[stack.length - 1] as V;
            if (typeof a === 'number' && typeof b === 'number') {
              const op = w >> 8;
              let r: number;
              if (op === 10 || op === 23) r = a - b;
              else if (op === 0 || op === 13) r = a + b;
              else if (op === 5 || op === 18) {
                r = a * b;
                if (r === 0) r = 0;
              } else {
                stack[stack.length - 1] = intBinary(op >= 13 ? op - 13 : op, a, b);
                continue;
              }
              if (r > 9007199254740991 || r < -9007199254740991) {
                stack[stack.length - 1] = intBinary(op >= 13 ? op - 13 : op, a, b);
                continue;
              }
              stack[stack.length - 1] = r;
              continue;
            }
            if (a instanceof PyFloat && b instanceof PyFloat) {
              const op = (w >> 8) % 13;
              // + - * / // % ** (bitwise ops on floats take binaryOp's TypeError path)
              if (op === 0 || op === 10 || op === 5 || op === 11 || op === 2 || op === 6 || op === 8) {
                stack[stack.length - 1] = floatBinary(op, a.v, b.v);
                continue;
              }
            }
            stack[stack.length - 1] = binaryOp(w >> 8, a, b);
            continue;
          }
          case 23: // UNARY_NEGATIVE
            stack[stack.length - 1] = unaryNeg(stack[stack.length - 1] as V);
            continue;
          case 24: // UNARY_POSITIVE
            stack[stack.length - 1] = unaryPos(stack[stack.length - 1] as V);
            continue;
          case 26: // UNARY_INVERT
            stack[stack.length - 1] = unaryInvert(stack[stack.length - 1] as V);
            continue;
          case 25: // UNARY_NOT
            stack[stack.length - 1] = !truthy(stack[stack.length - 1] as V);
            continue;
          case 27: {
            // COMPARE_OP
            const b = stack.pop() as V;
            const a = stack[stack.length - 1] as V;
            const op = w >> 8;
            let r: boolean;
            if (typeof a === 'number' && typeof b === 'number') {
              switch (op) {
                case 0:
                  r = a < b;
                  break;
                case 1:
                  r = a <= b;
                  break;
                case 2:
                  r = a === b;
                  break;
                case 3:
                  r = a !== b;
                  break;
                case 4:
                  r = a > b;
                  break;
                default:
                  r = a >= b;
              }
            } else if (op === 2) r = eq(a, b);
            else if (op === 3) r = !eq(a, b);
            else r = compare(a, b, op === 0 ? 'lt' : op === 1 ? 'le' : op === 4 ? 'gt' : 'ge');
            stack[stack.length - 1] = r;
            continue;
          }
          case 28: {
            // IS_OP
            const b = stack.pop();
            const a = stack[stack.length - 1];
            const same = a === b || (typeof a === 'boolean' && a === b);
            stack[stack.length - 1] = w >> 8 === 0 ? same : !same;
            continue;
          }
          case 29: {
            // CONTAINS_OP
            const c = stack.pop() as V;
            const x = stack[stack.length - 1] as V;
            const r = contains(c, x);
            stack[stack.length - 1] = w >> 8 === 0 ? r : !r;
            continue;
          }
          case 30: {
            // BINARY_SUBSCR
            const i = stack.pop() as V;
            const o = stack[stack.length - 1] as V;
            if (o instanceof PyList && typeof i === 'number' && i >= 0 && i < o.a.length) {
              stack[stack.length - 1] = o.a[i];
              continue;
            }
            stack[stack.length - 1] = getItem(o, i);
            continue;
          }
          case 31: {
            // STORE_SUBSCR
            const i = stack.pop() as V;
            const o = stack.pop() as V;
            const v = stack.pop() as V;
            if (o instanceof PyList && typeof i === 'number' && i >= 0 && i < o.a.length) o.a[i] = v;
            else setItem(o, i, v);
            continue;
          }
          case 32: {
            // DELETE_SUBSCR
            const i = stack.pop() as V;
            const o = stack.pop() as V;
            delItem(o, i);
            continue;
          }
          case 33: {
            // BUILD_SLICE
            const step = w >> 8 === 3 ? (stack.pop() as V) : null;
            const stop = stack.pop() as V;
            const start = stack.pop() as V;
            stack.push(new PySlice(start, stop, step));
            continue;
          }
          case 34: {
            // BUILD_TUPLE
            const n = w >> 8;
            stack.push(new PyTuple(stack.splice(stack.length - n, n) as V[]));
            continue;
          }
          case 35: {
            // BUILD_LIST
            const n = w >> 8;
            stack.push(new PyList(n ? (stack.splice(stack.length - n, n) as V[]) : []));
            continue;
          }
          case 36: {
            // BUILD_SET
            const n = w >> 8;
            const s = new PySet();
            for (const x of stack.splice(stack.length - n, n)) s.add(x as V);
            stack.push(s);
            continue;
          }
          case 37: {
            // BUILD_MAP
            const n = w >> 8;
            const d = new PyDict();
            const items = stack.splice(stack.length - 2 * n, 2 * n) as V[];
            for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
            stack.push(d);
            continue;
          }
          case 38: {
            // BUILD_STRING
            const n = w >> 8;
            let s = '';
            for (const x of stack.splice(stack.length - n, n)) s += x as string;
            stack.push(s);
            continue;
          }
          case 39: {
            // LIST_APPEND
            const v = stack.pop() as V;
            (stack[stack.length - (w >> 8)] as PyList).a.push(v);
            continue;
          }
          case 40: {
            // SET_ADD
            const v = stack.pop() as V;
            (stack[stack.length - (w >> 8)] as PySet).add(v);
            continue;
          }
          case 41: {
            // MAP_ADD
            const v = stack.pop() as V;
            const k = stack.pop() as V;
            (stack[stack.length - (w >> 8)] as PyDict).set(k, v);
            continue;
          }
          case 42: {
            // LIST_EXTEND
            const v = stack.pop() as V;
            const l = stack[stack.length - (w >> 8)] as PyList;
            if (!isIterable(v))
              throw pyErr(PyTypeError, `Value after * must be an iterable, not ${typeName(v)}`);
            for (const x of toArray(v)) l.a.push(x);
            continue;
          }
          case 43: {
            // SET_UPDATE
            const v = stack.pop() as V;
            const s = stack[stack.length - (w >> 8)] as PySet;
            for (const x of toArray(v)) s.add(x);
            continue;
          }
          case 44: // DICT_UPDATE
          case 45: {
            // DICT_MERGE
            const v = stack.pop() as V;
            const d = stack[stack.length - (w >> 8)] as PyDict;
            // DICT_MERGE builds a call's **kwargs: the callable sits below the args tuple and the dict
            const callee = (w & 0xff) === 45 ? funcStr(stack[stack.length - (w >> 8) - 2] as V) : '';
            if (!(v instanceof PyDict)) {
              throw pyErr(
                PyTypeError,
                (w & 0xff) === 45 /* DICT_MERGE */
                  ? `${callee} argument after ** must be a mapping, not ${typeName(v)}`
                  : `'${typeName(v)}' object is not a mapping`,
              );
            }
            for (const [hk, k] of v.keys) {
              if ((w & 0xff) === 45 /* DICT_MERGE */ && d.keys.has(hk))
                throw pyErr(PyTypeError, `${callee} got multiple values for keyword argument '${str(k)}'`);
              d.set(k, v.vals.get(hk)!);
            }
            continue;
          }
          case 46: // LIST_TO_TUPLE
            stack[stack.length - 1] = new PyTuple((stack[stack.length - 1] as PyList).a);
            continue;
          case 47: {
            // UNPACK_SEQUENCE
            const n = w >> 8;
            const s = stack.pop() as V;
            const a =
              s instanceof PyTuple || s instanceof PyList
                ? s.a
                : s instanceof PyObject || typeof s === 'string'
                  ? toArray(s)
                  : null;
            if (a === null) throw pyErr(PyTypeError, `cannot unpack non-iterable ${typeName(s)} object`);
            if (a.length !== n) unpackError(n, a.length);
            for (let i = n - 1; i >= 0; i--) stack.push(a[i]);
            continue;
          }
          case 48: {
            // UNPACK_EX
            const before = (w >> 8) & 0xff;
            const after = w >> 16;
            const s = stack.pop() as V;
            if (!isIterable(s)) throw pyErr(PyTypeError, `cannot unpack non-iterable ${typeName(s)} object`);
            const a = toArray(s);
            if (a.length < before + after) {
              throw pyErr(
                ValueError,
                `not enough values to unpack (expected at least ${before + after}, got ${a.length})`,
              );
            }
            for (let i = a.length - 1; i >= a.length - after; i--) stack.push(a[i]);
            stack.push(new PyList(a.slice(before, a.length - after)));
            for (let i = before - 1; i >= 0; i--) stack.push(a[i]);
            continue;
          }
          case 49: {
            // FORMAT_VALUE
            const flags = w >> 8;
            const spec = flags & 4 ? (stack.pop() as string) : '';
            let v = stack.pop() as V;
            const conv = flags & 3;
            if (conv === 1) v = str(v);
            else if (conv === 2 || conv === 3) v = repr(v);
            stack.push(spec === '' && typeof v === 'string' ? v : formatValue(v, spec));
            continue;
          }
          case 50: // JUMP_FORWARD
            pc = w >> 8;
            continue;
          case 51: // JUMP_BACKWARD
            pc = w >> 8;
            if (!nested && host.onBreaker(th)) {
              f.pc = pc;
              exitCount(th, budget - remaining, folded, nested);
              return BREAKER;
            }
            continue;
          case 52: {
            // POP_JUMP_IF_FALSE
            const v = stack.pop();
            if (v === false || (v !== true && !truthy(v as V))) pc = w >> 8;
            continue;
          }
          case 53: {
            // POP_JUMP_IF_TRUE
            const v = stack.pop();
            if (v === true || (v !== false && truthy(v as V))) pc = w >> 8;
            continue;
          }
          case 54: // JUMP_IF_FALSE_OR_POP
            if (!truthy(stack[stack.length - 1] as V)) pc = w >> 8;
            else stack.pop();
            continue;
          case 55: // JUMP_IF_TRUE_OR_POP
            if (truthy(stack[stack.length - 1] as V)) pc = w >> 8;
            else stack.pop();
            continue;
          case 87: {
            // SEND: STACK[-1] = STACK[-2].send(STACK[-1]); on exhaustion pop both, push the return value, jump
            const sent = stack.pop() as V;
            const recv = stack[stack.length - 1] as V;
            f.pc = pc;
            let v: V | undefined;
            if (recv instanceof PyGen) v = resumeGen(recv, sent);
            else if (sent === null) v = (recv as PyIter).next();
            else throw pyErr(AttributeError, `'${typeName(recv)}' object has no attribute 'send'`);
            if (th.nestedExecuted !== 0) {
              remaining -= th.nestedExecuted;
              folded += th.nestedExecuted;
              th.nestedExecuted = 0;
            }
            if (v === undefined) {
              stack.pop();
              stack.push(recv instanceof PyGen ? recv.returnValue : null);
              pc = w >> 8;
            } else stack.push(v);
            continue;
          }
          case 78: // POP_JUMP_IF_NONE
            if (stack.pop() === null) pc = w >> 8;
            continue;
          case 79: // POP_JUMP_IF_NOT_NONE
            if (stack.pop() !== null) pc = w >> 8;
            continue;
          case 56: {
            // GET_ITER
            const v = stack[stack.length - 1] as V;
            if (!(v instanceof PyIter)) stack[stack.length - 1] = getIter(v);
            continue;
          }
          case 57: {
            // FOR_ITER
            const it = stack[stack.length - 1];
            let v: V | undefined;
            if (it instanceof RangeIter) {
              if (it.i < it.n) {
                it.i++;
                v = it.cur;
                it.cur += it.step;
              }
            } else if (it instanceof SeqIter) {
              v = it.i < it.a.length ? it.a[it.i++] : undefined;
            } else {
              f.pc = pc;
              v = (it as PyIter).next();
              if (th.nestedExecuted !== 0) {
                remaining -= th.nestedExecuted;
                folded += th.nestedExecuted;
                th.nestedExecuted = 0;
              }
            }
            if (v === undefined) {
              stack.pop();
              pc = w >> 8;
            } else stack.push(v);
            continue;
          }
          case 59: // KW_NAMES
            kwnames = consts[w >> 8] as PyTuple;
            continue;
          case 58: {
            // CALL
            const argc = w >> 8;
            const sl = stack.length;
            let fn = stack[sl - argc - 2];
            let first = sl - argc;
            if (fn === undefined) fn = stack[sl - argc - 1];
            else first = sl - argc - 1;
            const nargs = sl - first;
            if (fn instanceof PyFunction && nargs === fn.fastArgc && kwnames === null) {
              // fast path: bind positionals straight from the value stack
              if (frames.length >= interp.recursionLimit)
                throw pyErr(RecursionError, 'maximum recursion depth exceeded');
              const nl = fn.nlocals;
              let nf = fn.code.spareFrame as Frame | undefined;
              if (nf !== undefined) fn.code.spareFrame = undefined;
              else nf = fn.code.framePool.pop() as Frame | undefined;
              let newLocals: Slot[];
              if (nf !== undefined) {
                newLocals = nf.locals;
                nf.fn = fn;
                nf.globals = fn.globals;
                nf.pc = 0;
              } else newLocals = new Array(nl);
              for (let i = nl - 1; i >= nargs; i--) newLocals[i] = undefined;
              // move the arguments off the value stack (last first), then the callable and NULL/self
              for (let i = nargs - 1; i >= 0; i--) newLocals[i] = stack.pop();
              stack.pop();
              if (nargs === argc) stack.pop();
              // cells are initialised from the arguments, so construct after binding them
              if (nf === undefined) nf = new Frame(fn.code, newLocals, fn.globals, fn);
              nf.excBase = excStack.length;
              f.pc = pc;
              frames.push(nf);
              f = nf;
              code = fn.code;
              instrs = code.quick;
              orig = code.code;
              consts = code.consts;
              locals = newLocals;
              stack = nf.stack;
              // execute the leading RESUME (a no-op) right here: one dispatch less per call
              if (remaining > 0) {
                remaining--;
                pc = 1;
              } else pc = 0;
              if (!nested && host.onBreaker(th)) {
                f.pc = pc;
                exitCount(th, budget - remaining, folded, nested);
                return BREAKER;
              }
              continue;
            }
            const args = stack.slice(first, sl) as V[];
            let kw: Kw = null;
            if (kwnames !== null) {
              kw = kwFromNames(kwnames, args);
              args.length -= kwnames.a.length;
              kwnames = null;
            }
            for (let k = argc + 2; k > 0; k--) stack.pop();
            if (fn instanceof PyFunction && !fn.isGen) {
              if (frames.length >= interp.recursionLimit)
                throw pyErr(RecursionError, 'maximum recursion depth exceeded');
              const newLocals = bindArgs(fn, args, kw);
              const nf = new Frame(fn.code, newLocals, fn.globals, fn);
              nf.excBase = excStack.length;
              f.pc = pc;
              frames.push(nf);
              f = nf;
              code = fn.code;
              instrs = code.quick;
              orig = code.code;
              consts = code.consts;
              locals = newLocals;
              stack = nf.stack;
              pc = 0;
              if (!nested && host.onBreaker(th)) {
                f.pc = pc;
                exitCount(th, budget - remaining, folded, nested);
                return BREAKER;
              }
              continue;
            }
            f.pc = pc;
            th.stepUsed = budget - remaining;
            const r = callNative(fn as V, args, kw);
            if (th.nestedExecuted !== 0) {
              remaining -= th.nestedExecuted;
              folded += th.nestedExecuted;
              th.nestedExecuted = 0;
            }
            if (r === BLOCKED_MARK) {
              exitCount(th, budget - remaining, folded, nested);
              return BLOCKED;
            }
            stack.push(r);
            if (!nested && host.onBreaker(th)) {
              exitCount(th, budget - remaining, folded, nested);
              return BREAKER;
            }
            continue;
          }
          case 60: {
            // CALL_FUNCTION_EX
            const kwd = (w >> 8) & 1 ? (stack.pop() as PyDict) : null;
            const argt = stack.pop() as PyTuple;
            const fn = stack.pop() as V;
            stack.pop(); // NULL
            let kw: Kw = null;
            if (kwd) {
              kw = new Map();
              for (const [hk, k] of kwd.keys) {
                if (typeof k !== 'string') throw pyErr(PyTypeError, 'keywords must be strings');
                kw.set(k, kwd.vals.get(hk)!);
              }
            }
            if (fn instanceof PyFunction && !fn.isGen) {
              if (frames.length >= interp.recursionLimit)
                throw pyErr(RecursionError, 'maximum recursion depth exceeded');
              const newLocals = bindArgs(fn, argt.a.slice(), kw);
              const nf = new Frame(fn.code, newLocals, fn.globals, fn);
              nf.excBase = excStack.length;
              f.pc = pc;
              frames.push(nf);
              f = nf;
              code = fn.code;
              instrs = code.quick;
              orig = code.code;
              consts = code.consts;
              locals = newLocals;
              stack = nf.stack;
              pc = 0;
              if (!nested && host.onBreaker(th)) {
                f.pc = pc;
                exitCount(th, budget - remaining, folded, nested);
                return BREAKER;
              }
              continue;
            }
            f.pc = pc;
            th.stepUsed = budget - remaining;
            const r = callNative(fn, argt.a.slice(), kw);
            if (th.nestedExecuted !== 0) {
              remaining -= th.nestedExecuted;
              folded += th.nestedExecuted;
              th.nestedExecuted = 0;
            }
            if (r === BLOCKED_MARK) {
              exitCount(th, budget - remaining, folded, nested);
              return BLOCKED;
            }
            stack.push(r);
            if (!nested && host.onBreaker(th)) {
              f.pc = pc;
              exitCount(th, budget - remaining, folded, nested);
              return BREAKER;
            }
            continue;
          }
          case 61: {
            // MAKE_FUNCTION
            const flags = w >> 8;
            const c = stack.pop() as unknown as CodeObject;
            const closure = flags & 8 ? ((stack.pop() as PyTuple).a as PyCell[]) : null;
            const kwd = flags & 2 ? (stack.pop() as PyDict) : null;
            const defs = flags & 1 ? (stack.pop() as PyTuple).a : null;
            let kwdefaults: Map<string, V> | null = null;
            if (kwd) {
              kwdefaults = new Map();
              for (const [hk, k] of kwd.keys) kwdefaults.set(k as string, kwd.vals.get(hk)!);
            }
            stack.push(new PyFunction(c, f.globals, defs, kwdefaults, closure, interp));
            continue;
          }
          case 85: // FUSED_LOAD_RETURN
          case 86: // FUSED_BINOP_RETURN
          case 62: {
            // RETURN_VALUE (FUSED_LOAD_RETURN: LOAD_FAST/LOAD_CONST then RETURN_VALUE;
            // FUSED_BINOP_RETURN: BINARY_OP then RETURN_VALUE)
            let rv: V;
            if ((w & 0xff) === 86) {
              const b = stack.pop() as V;
              const a = stack.pop() as V;
              const op = w >> 8;
              let r: V;
              if (typeof a === 'number' && typeof b === 'number' && (op === 0 || op === 13)) {
                const s = a + b;
                r = s <= 9007199254740991 && s >= -9007199254740991 ? s : intBinary(0, a, b);
              } else r = binaryOp(op, a, b);
              if (remaining <= 0) {
                // no budget left for the RETURN_VALUE half
                stack.push(r);
                continue;
              }
              remaining--;
              rv = r;
              pc++;
            } else if ((w & 0xff) === 85) {
              if (remaining <= 0) {
                // no budget left for the RETURN_VALUE half: do just the load
                const v = (orig[pc - 1] & 0xff) === 6 ? locals[w >> 8] : consts[w >> 8];
                if (v === undefined) unboundLocal(code, w >> 8);
                stack.push(v);
                continue;
              }
              remaining--;
              const v = (orig[pc - 1] & 0xff) === 6 ? locals[w >> 8] : consts[w >> 8];
              if (v === undefined) unboundLocal(code, w >> 8);
              rv = v;
              pc++;
            } else rv = stack.pop() as V;
            frames.pop();
            if (excStack.length > f.excBase) excStack.length = f.excBase;
            if (f.gen) {
              f.gen.done = true;
              f.gen.returnValue = rv;
            } else if (code.poolable && code.framePool.length < 32) {
              // nothing can reference a returned frame without cells: recycle it for the next call
              if (stack.length) stack.length = 0;
              f.blocks = null;
              if (code.spareFrame === undefined) code.spareFrame = f;
              else code.framePool.push(f);
            }
            if (frames.length === base) {
              th.retval = rv;
              f.pc = pc;
              exitCount(th, budget - remaining, folded, nested);
              return RETURNED;
            }
            f = frames[frames.length - 1];
            code = f.code;
            instrs = code.quick;
            orig = code.code;
            consts = code.consts;
            locals = f.locals;
            stack = f.stack;
            pc = f.pc;
            stack.push(rv);
            continue;
          }
          case 64: {
            // YIELD_VALUE
            const v = stack.pop() as V;
            f.pc = pc;
            frames.pop();
            th.retval = v;
            exitCount(th, budget - remaining, folded, nested);
            return YIELDED;
          }
          case 65: {
            // RAISE_VARARGS
            const n = w >> 8;
            if (n === 0) {
              const top = excStack[excStack.length - 1];
              if (!top) throw pyErr(RuntimeError, 'No active exception to reraise');
              throw top;
            }
            let cause: V | undefined;
            if (n === 2) cause = stack.pop() as V;
            const exc = makeExc(stack.pop() as V);
            if (cause !== undefined) {
              if (cause === null) exc.cause = null;
              else {
                const c = makeExc(cause);
                if (!(cause instanceof PyExc || (cause instanceof PyType && cause.isExc))) {
                  throw pyErr(PyTypeError, 'exception causes must derive from BaseException');
                }
                exc.cause = c;
              }
              exc.suppressContext = true;
            }
            throw exc;
          }
          case 66: // RERAISE
            throw stack.pop();
          case 67: // PUSH_EXC_INFO
            excStack.push(stack[stack.length - 1] as PyExc);
            continue;
          case 68: // POP_EXCEPT
            excStack.pop();
            continue;
          case 69: {
            // CHECK_EXC_MATCH
            const t = stack.pop() as V;
            checkExcType(t);
            stack.push(excMatches(stack[stack.length - 1] as V, t));
            continue;
          }
          case 70: // SETUP_FINALLY
            (f.blocks ??= []).push(w >> 8, stack.length, excStack.length);
            continue;
          case 71: // POP_BLOCK
            f.blocks!.length -= 3;
            continue;
          case 72: {
            // BEFORE_WITH
            const mgr = stack.pop() as V;
            f.pc = pc;
            th.stepUsed = budget - remaining;
            const [exit, entered] = withEnterExit(mgr);
            if (entered === BLOCKED_MARK) {
              stack.push(exit);
              exitCount(th, budget - remaining, folded, nested);
              return BLOCKED;
            }
            stack.push(exit, entered);
            continue;
          }
          case 73: {
            // WITH_EXIT
            if (w >> 8 === 0) {
              const exit = stack.pop() as V;
              callNative(exit, [null, null, null], null);
            } else {
              const exc = stack.pop() as PyExc;
              const exit = stack.pop() as V;
              callNative(exit, [exc.type, exc, null], null);
              stack.push(exc);
            }
            continue;
          }
          case 74: {
            // IMPORT_NAME
            stack.pop();
            stack.pop();
            stack.push(interp.importModule(code.names[w >> 8]));
            continue;
          }
          case 75: {
            // IMPORT_FROM
            const m = stack[stack.length - 1] as PyModule;
            const name = code.names[w >> 8];
            const v = m.dict.get(name);
            if (v === undefined)
              throw pyErr(ImportError, `cannot import name '${name}' from '${m.name}' (unknown location)`);
            stack.push(v);
            continue;
          }
          case 76: {
            // IMPORT_STAR
            const m = stack.pop() as PyModule;
            globalsEpoch++;
            for (const [k, v] of m.dict) if (!k.startsWith('_')) f.globals.set(k, v);
            continue;
          }
          case 77: // LOAD_ASSERTION_ERROR
            stack.push(builtins.get('AssertionError')!);
            continue;
          case 82: // FUSED_BINOP_STORE
          case 83: {
            // FUSED_BINOP
            // load a; load b; BINARY_OP op; [STORE_FAST s] on small ints, else just the first load
            const w0 = orig[pc - 1];
            const a = (w0 & 0xff) === 6 /* LOAD_FAST */ ? locals[w0 >> 8] : consts[w0 >> 8];
            const store = (w & 0xff) === 82 /* FUSED_BINOP_STORE */;
            if (remaining >= (store ? 3 : 2) && typeof a === 'number') {
              const w1 = instrs[pc];
              const b = (w1 & 0xff) === 6 /* LOAD_FAST */ ? locals[w1 >> 8] : consts[w1 >> 8];
              if (typeof b === 'number') {
                const op = instrs[pc + 1] >> 8;
                let r = Number.NaN;
                if (op === 10 || op === 23) r = a - b;
                else if (op === 0 || op === 13) r = a + b;
                if (r <= 9007199254740991 && r >= -9007199254740991) {
                  if (store) {
                    locals[instrs[pc + 2] >> 8] = r;
                    pc += 3;
                    remaining -= 3;
                  } else {
                    stack.push(r);
                    pc += 2;
                    remaining -= 2;
                  }
                  continue;
                }
              }
            }
            if (a === undefined) unboundLocal(code, w0 >> 8);
            stack.push(a);
            continue;
          }
          case 84: {
            // FUSED_CMP_JUMP
            // load a; load b; COMPARE_OP op; POP_JUMP_IF_FALSE/TRUE on small ints, else just the first load
            const w0 = orig[pc - 1];
            const a = (w0 & 0xff) === 6 /* LOAD_FAST */ ? locals[w0 >> 8] : consts[w0 >> 8];
            if (remaining >= 3 && typeof a === 'number') {
              const w1 = instrs[pc];
              const b = (w1 & 0xff) === 6 /* LOAD_FAST */ ? locals[w1 >> 8] : consts[w1 >> 8];
              if (typeof b === 'number') {
                let r: boolean;
                switch (instrs[pc + 1] >> 8) {
                  case 0:
                    r = a < b;
                    break;
                  case 1:
                    r = a <= b;
                    break;
                  case 2:
                    r = a === b;
                    break;
                  case 3:
                    r = a !== b;
                    break;
                  case 4:
                    r = a > b;
                    break;
                  default:
                    r = a >= b;
                }
                const jw = instrs[pc + 2];
                pc += 3;
                remaining -= 3;
                if (r === ((jw & 0xff) === 53) /* POP_JUMP_IF_TRUE */) pc = jw >> 8;
                continue;
              }
            }
            if (a === undefined) unboundLocal(code, w0 >> 8);
            stack.push(a);
            continue;
          }
          case 81: // STORE_SLICE
            throw pyErr(SystemError, 'STORE_SLICE is not emitted by this compiler');
          default:
            throw pyErr(SystemError, `unknown opcode ${w & 0xff}`);
        }
      }
    } catch (e) {
      if (e instanceof BudgetExhausted) {
        // unwind nested frames silently; the outermost run reports the budget stop as an error
        while (frames.length > base) frames.pop();
        if (nested) throw e;
        f.pc = pc;
        exitCount(th, budget - remaining, folded, nested);
        const exc = pyErr(RuntimeError, 'instruction budget exhausted');
        th.errorExc = exc;
        th.error = excInfo(exc, interp);
        return ERROR;
      }
      let exc = toPyExc(e);
      if (exc.context === null && !exc.suppressContext) {
        const top = excStack[excStack.length - 1];
        if (top && top !== exc) exc.context = top;
      } else if (exc.context === null) {
        const top = excStack[excStack.length - 1];
        if (top && top !== exc) exc.context = top;
      }
      // unwind to a handler
      for (;;) {
        addTb(exc, f, pc);
        const blocks = f.blocks;
        if (blocks !== null && blocks.length > 0) {
          const excDepth = blocks.pop()!;
          const depth = blocks.pop()!;
          const target = blocks.pop()!;
          stack.length = depth;
          if (excStack.length > excDepth) excStack.length = excDepth;
          stack.push(exc);
          pc = target;
          break;
        }
        frames.pop();
        if (excStack.length > f.excBase) excStack.length = f.excBase;
        if (f.gen) f.gen.done = true;
        if (frames.length === base) {
          f.pc = pc;
          exitCount(th, budget - remaining, folded, nested);
          if (nested) throw exc;
          th.errorExc = exc;
          th.error = excInfo(exc, interp);
          return ERROR;
        }
        f = frames[frames.length - 1];
        code = f.code;
        instrs = code.quick;
        orig = code.code;
        consts = code.consts;
        locals = f.locals;
        stack = f.stack;
        pc = f.pc;
        kwnames = null;
        exc = exc as PyExc;
      }
    }
  }
}

/** CPython's `_PyObject_FunctionStr`: `module.qualname()` for functions, `name()` for builtins. */
function funcStr(f: V): string {
  if (f instanceof PyFunction) {
    const mod = f.globals.get('__name__');
    return `${typeof mod === 'string' && mod !== 'builtins' ? `${mod}.` : ''}${f.code.qualname}()`;
  }
  if (f instanceof PyBuiltin) return `${f.name}()`;
  return `${typeName(f)} object`;
}

function isIterable(v: V): boolean {
  if (typeof v === 'string') return true;
  if (v === null || typeof v !== 'object') return false;
  try {
    getIter(v);
    return true;
  } catch {
    return false;
  }
}

export { BaseException, builtinType, floatRepr, isinstance, MapKeyIter, PyRange, StopIteration };
