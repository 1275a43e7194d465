/**
 * The eval loop: one synchronous function, `execute`, that runs a thread's frame stack.
 *
 * Design note (why it looks like this):
 * - Every value is a heap {@link Ref} (rt.ts). Frames own their references as CPython's do: each
 *   value stack slot and each fast local holds one reference (LOAD_* incref, STORE_* decref the
 *   old value, POP_TOP decref, ops consume their operands). `0` in a slot means NULL / unbound.
 *   Small ints are tagged immediates that own nothing, so the int fast paths below (BINARY_OP,
 *   COMPARE_OP and the fused superinstructions) never touch a refcount; everything else uses the
 *   inline refcount fast path ({@link inc}/{@link dec}) and calls the heap only at zero.
 * - Python calls do not recurse on the JS stack: CALL pushes a {@link Frame} onto `thread.frames`
 *   and the loop continues with it; RETURN_VALUE pops. So the recursion limit is a plain counter
 *   (RecursionError), a JS stack overflow cannot happen from Python recursion, and a thread can
 *   stop between any two instructions and be resumed later (`thread.run(max)`).
 * - The eval breaker is checked where CPython checks it: after JUMP_BACKWARD, at function entry
 *   (after the new frame is pushed) and after a call to a builtin returns. `host.onBreaker`
 *   returning true stops the loop between instructions (reason 'breaker').
 * - Exceptions are JS throws of {@link PyExc}. The single `catch` unwinds: it looks for the
 *   innermost SETUP_FINALLY block of the current frame (dropping the value stack down to the
 *   block's depth and the handled-exception stack), else releases the frame and continues in the
 *   caller. Arguments of a call stay on the value stack until the call returns, so an exception
 *   thrown by a callee leaves nothing unowned.
 * - Builtins that call back into Python (sorted's key, map, generators driven by sum/list...) run
 *   a *nested* `execute` on the same thread with a base depth; the nested run ignores the breaker
 *   (it cannot stop mid-builtin) and cannot block under a suspending host (RuntimeError).
 * - Constants of a code object are JS descriptors; each becomes an immortal ref per heap on first
 *   use ({@link CodeRt}), names are interned strs, so LOAD_CONST needs no incref.
 */
import type { Heap } from '@gilkit/heap';
import { formatValue, repr, str } from './format.js';
import {
  type BlockRequest,
  type Host,
  type PyExceptionInfo,
  type StepResult,
  SUSPEND,
  type VmThread,
} from './host.js';
import { compileLoop, EXIT_BREAKER, type LoopFn, loopExit } from './jit.js';
import { gcEnabled, type ModuleContext } from './modules.js';
import {
  AssertionError,
  AttributeError,
  compare,
  contains,
  dictStore,
  EXCEPTION_TYPES,
  eq,
  fromHeapError,
  GeneratorExit,
  generatorType,
  getIter,
  ImportError,
  iterNext,
  type Kw,
  NameError,
  PyExc,
  PyInstance,
  PyIter,
  type PyType,
  PyTypeError,
  pyErr,
  RangeIter,
  RecursionError,
  RuntimeError,
  SeqIter,
  StopIteration,
  SystemError,
  setAddKey,
  toArray,
  truthy,
  typeName,
  typeOf,
  UnboundLocalError,
  ValueError,
} from './objects.js';
import { BytesConst, type CodeObject, type Const, FloatConst, TupleConst } from './opcodes.js';
import { binaryOp, delItem, getItem, setItem, unaryInvert, unaryNeg, unaryPos } from './ops.js';
import {
  asType,
  bindHeap,
  builtinInfo,
  builtinSelf,
  cellGet,
  cellSet,
  codeOf,
  codeRef,
  decref,
  excOf,
  excRef,
  f64,
  funcClosure,
  funcCode,
  funcDefaults,
  funcGlobals,
  funcKwdefaults,
  H,
  handleOf,
  i32,
  immortalize,
  incref,
  instanceAttrs,
  instanceDict,
  instanceType,
  intern,
  isDict,
  isList,
  isStr,
  isTuple,
  kindOf,
  listAt,
  listLen,
  lockRef,
  moduleDict,
  moduleName,
  nativeInfo,
  newBuiltin,
  newBytes,
  newCell,
  newDict,
  newFloat,
  newFunction,
  newHandle,
  newInt,
  newListSteal,
  newSet,
  newSlice,
  newStr,
  newTuple,
  newTupleSteal,
  pyBool,
  type Ref,
  EMPTY_TUPLE as RT_EMPTY_TUPLE,
  FALSE as RT_FALSE,
  K_BUILTIN as RT_K_BUILTIN,
  K_FUNCTION as RT_K_FUNCTION,
  K_HANDLE as RT_K_HANDLE,
  K_INSTANCE as RT_K_INSTANCE,
  K_MODULE as RT_K_MODULE,
  K_TYPE as RT_K_TYPE,
  NONE as RT_NONE,
  TRUE as RT_TRUE,
  registerNative,
  strOf,
  tupleAt,
  tupleItems,
  tupleLen,
  typeRef as typeRefOf,
  u8,
  unlockRef,
} from './rt.js';

// Local copies of rt's constants: V8 does not constant-fold imported bindings (checked below).
const EMPTY_TUPLE = 0x11060;
const FALSE = 0x11040;
const K_BUILTIN = 6;
const K_FUNCTION = 2;
const K_HANDLE = 9;
const K_INSTANCE = 10;
const K_MODULE = 7;
const K_TYPE = 1;
const NONE = 0x11000;
const TRUE = 0x11020;
if (
  EMPTY_TUPLE !== RT_EMPTY_TUPLE ||
  FALSE !== RT_FALSE ||
  K_BUILTIN !== RT_K_BUILTIN ||
  K_FUNCTION !== RT_K_FUNCTION ||
  K_HANDLE !== RT_K_HANDLE ||
  K_INSTANCE !== RT_K_INSTANCE ||
  K_MODULE !== RT_K_MODULE ||
  K_TYPE !== RT_K_TYPE ||
  NONE !== RT_NONE ||
  TRUE !== RT_TRUE
)
  throw new Error('eval.ts: local copies of rt constants are out of date');

const T_FLOAT = 5;
const T_OBJECT = 12;
const T_LIST = 9;
const OFF_VALUE = 16;
const TAG_MIN = -1073741824;
const TAG_MAX = 1073741823;

// ---- refcounts with the inline fast path ----

/** The current heap's int32 view and whether refcounts may be updated inline (gil, unchecked). */
let I32: Int32Array = new Int32Array(1);
let F64: Float64Array = new Float64Array(1);
let FAST = false;
/** The bound heap counts references under a GIL (no other thread touches it while we run). */
let GIL_HEAP = true;
/** Biased refcounting: merge other threads' queued decrefs at breaker points. */
let BIASED = false;
/** The bound heap's buffer is shared with other workers. */
let SHARED = false;
let boundHeap: Heap | null = null;
let boundHeapId = 0;

/** Small ids for heaps, so per-code data can name its heap without keeping it alive. */
const heapIds = new WeakMap<Heap, number>();
let nextHeapId = 1;
function heapIdOf(h: Heap): number {
  let id = heapIds.get(h);
  if (id === undefined) {
    id = nextHeapId++;
    heapIds.set(h, id);
  }
  return id;
}

/** Make `h` current for the vm (rt) and for the loop's inline refcounting. */
export function enterHeap(h: Heap): void {
  bindHeap(h);
  if (boundHeap !== h) {
    boundHeap = h;
    boundHeapId = heapIdOf(h);
    I32 = i32;
    F64 = f64;
    FAST = h.refcountMode === 'gil' && !h.checked;
    GIL_HEAP = h.refcountMode === 'gil';
    BIASED = h.refcountMode === 'biased';
    SHARED = typeof SharedArrayBuffer !== 'undefined' && h.buffer instanceof SharedArrayBuffer;
  }
}

function inc(r: Ref): void {
  if ((r & 1) === 0) {
    if (FAST) {
      const i = (r >> 2) + 1;
      const rc = I32[i];
      if (rc >= 0) I32[i] = rc + 1;
    } else incref(r);
  }
}

function dec(r: Ref): void {
  if ((r & 1) === 0) {
    if (FAST) {
      const i = (r >> 2) + 1;
      const rc = I32[i];
      if (rc > 1) {
        I32[i] = rc - 1;
        return;
      }
      if (rc < 0) return;
    }
    decSlow(r);
  }
}

/**
 * The last reference may be going away: a suspended generator is closed first (its `finally`
 * blocks run while it is still alive, as CPython's generator finalizer does), then freed.
 */
function decSlow(r: Ref): void {
  if (u8[r] === T_OBJECT && kindOf(r) === K_HANDLE && current !== null && H.refcount(r) === 1) {
    const g = handleOf(r);
    if (g instanceof PyGen && g.started && !g.done && !g.running) {
      try {
        closeGen(g);
      } catch {
        // CPython reports exceptions from a finalizer as "unraisable" and carries on
      }
    }
  }
  decref(r);
}

// ---- per-heap data of code objects ----

/** Bumped by every store to module globals: LOAD_GLOBAL caches are valid for one epoch. */
let globalsEpoch = 0;

/** Invalidate LOAD_GLOBAL caches after changing a globals dict from JS. */
export function invalidateGlobalCaches(): void {
  globalsEpoch++;
}

/** Per-heap data of the eval loop. */
interface EvalState {
  /** Immortal unbound builtin objects by native id (LOAD_METHOD pushes these). */
  readonly unbound: Ref[];
}
const evalStates = new WeakMap<Heap, EvalState>();
function evalState(): EvalState {
  let s = evalStates.get(H);
  if (s === undefined) {
    s = { unbound: [] };
    evalStates.set(H, s);
  }
  return s;
}

/** A code object's constants, names and LOAD_GLOBAL cache in one heap. */
class CodeRt {
  readonly consts: Ref[];
  readonly names: Ref[];
  /** Cached global values by name index (borrowed refs, see {@link loadGlobal}; 0 = empty). */
  readonly gcache: Ref[];
  readonly gepoch: number[];
  /** The globals dict the cache belongs to. */
  gdict: Ref = 0;
  /** Compiled loops by head pc (null: not compilable), and back-edge counts (jit). */
  loops: Map<number, LoopFn | null> | null = null;
  constructor(
    /** Id of the heap (not the heap: code objects live in rt's process-wide table forever). */
    readonly heapId: number,
    code: CodeObject,
  ) {
    this.consts = code.consts.map(constRef);
    this.names = code.names.map((n) => intern(n));
    this.gcache = new Array<Ref>(code.names.length).fill(0);
    this.gepoch = new Array<number>(code.names.length).fill(-1);
  }
  /** Forget every cached global. */
  clear(): void {
    this.gcache.fill(0);
    this.gepoch.fill(-1);
    this.gdict = 0;
  }
}

function codeRt(code: CodeObject): CodeRt {
  const r = code.rt as CodeRt | null;
  const id = heapIdOf(H);
  if (r !== null && r.heapId === id) return r;
  const n = new CodeRt(id, code);
  code.rt = n;
  // recycled frames carry the CodeRt of the heap they ran in
  code.framePool.length = 0;
  code.spareFrame = undefined;
  return n;
}

/** An immortal ref for a compile-time constant. */
function constRef(c: Const): Ref {
  if (c === null) return NONE;
  if (c === true) return TRUE;
  if (c === false) return FALSE;
  if (typeof c === 'string') return intern(c);
  let r: Ref;
  if (typeof c === 'number' || typeof c === 'bigint') r = newInt(c);
  else if (c instanceof FloatConst) r = newFloat(c.value);
  else if (c instanceof BytesConst) r = newBytes(c.value);
  else if (c instanceof TupleConst) {
    if (c.items.length === 0) return EMPTY_TUPLE;
    r = newTuple(c.items.map(constRef));
  } else r = codeRef(c);
  immortalize(r);
  return r;
}

/** The immortal unbound builtin object for a native id (what LOAD_METHOD pushes). */
function unboundMethod(id: number): Ref {
  const s = evalState();
  let r = s.unbound[id];
  if (r === undefined) {
    r = newBuiltin(id);
    immortalize(r);
    s.unbound[id] = r;
  }
  return r;
}

// ---- frames, generators, threads ----

/** What the eval loop needs from the interpreter that owns a thread. */
export interface InterpreterState {
  readonly heap: Heap;
  /** The builtins dict (borrowed). */
  readonly builtins: Ref;
  readonly host: Host;
  /** `import name`: the module object (borrowed: the interpreter's module cache owns it). */
  importModule(name: string): Ref;
  recursionLimit: number;
  /** Source lines by filename, for tracebacks. */
  readonly sources: Map<string, string[]>;
  /** What module natives need (the object handed to createModule). */
  readonly moduleContext: ModuleContext;
  /** Compile hot small-int loops to JS (jit.ts). */
  readonly jit: boolean;
}

/** One activation record. Owns its value stack, fast locals, cells and function. */
export class Frame {
  pc = 0;
  readonly stack: Ref[] = [];
  /** Block stack triples: handler pc, stack depth, exc_info depth. */
  blocks: number[] | null = null;
  cells: Ref[] | null;
  excBase = 0;
  gen: PyGen | null = null;
  /** The code's constants and caches in this frame's heap. */
  readonly crt: CodeRt;
  constructor(
    readonly code: CodeObject,
    /** Owned refs, 0 = unbound (length = code.nlocals). */
    public locals: Ref[],
    /** The globals dict (borrowed from the function, or from the interpreter for module code). */
    public globals: Ref,
    /** The function (owned), 0 for module code. */
    public fn: Ref,
  ) {
    this.crt = codeRt(code);
    const nc = code.cellvars.length;
    if (nc + code.freevars.length > 0) {
      const cells: Ref[] = [];
      for (let i = 0; i < nc; i++) {
        const a = code.cell2arg[i];
        cells.push(newCell(a >= 0 ? locals[a] : 0));
      }
      if (fn !== 0) {
        const cl = funcClosure(fn);
        if (cl !== NONE) {
          for (let i = 0, n = tupleLen(cl); i < n; i++) {
            const c = tupleAt(cl, i);
            inc(c);
            cells.push(c);
          }
        }
      }
      this.cells = cells;
    } else this.cells = null;
  }
}

/** Drop everything a frame owns (idempotent). */
function releaseFrame(f: Frame): void {
  const st = f.stack;
  while (st.length > 0) {
    const v = st.pop() as Ref;
    if (v !== 0) dec(v);
  }
  const loc = f.locals;
  for (let i = 0; i < loc.length; i++) {
    const v = loc[i];
    if (v !== 0) {
      loc[i] = 0;
      dec(v);
    }
  }
  const cells = f.cells;
  if (cells !== null) {
    f.cells = null;
    for (const c of cells) dec(c);
  }
  const fn = f.fn;
  if (fn !== 0) {
    f.fn = 0;
    dec(fn);
  }
  f.blocks = null;
}

/** A generator object: a suspended frame (a handle; the frame is released when it dies). */
export class PyGen extends PyIter {
  /** The value of the generator's `return` (owned; what `yield from` evaluates to). */
  returnValue: Ref = 0;
  started = false;
  running = false;
  done = false;
  constructor(
    readonly frame: Frame,
    readonly name: string,
    readonly qualname: string,
  ) {
    super();
    frame.gen = this;
  }
  override get cls(): PyType {
    return generatorType;
  }
  next(): Ref {
    return resumeGen(this, NONE);
  }
  override dispose(): void {
    if (this.started && !this.done && !this.running && current !== null) {
      // freed while suspended (e.g. with the list that held it): run its finally blocks first, as
      // CPython's generator finalizer does
      try {
        closeGen(this);
      } catch {
        // an exception in a finalizer is "unraisable" in CPython: reported, then ignored
      }
    }
    this.done = true;
    releaseFrame(this.frame);
    const rv = this.returnValue;
    this.returnValue = 0;
    if (rv !== 0) decref(rv);
  }
}

/** Marker returned by a native that blocked under a suspending host (never a valid ref). */
export const BLOCKED_MARK: Ref = -2;

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
  /** Handled exceptions (owned handle refs), innermost last. */
  readonly excStack: Ref[] = [];
  executed = 0;
  done = false;
  result: unknown = undefined;
  /** Python return value of the outermost frame (owned) until `run` converts it. */
  retval: Ref = 0;
  error: PyExceptionInfo | null = null;
  errorExc: PyExc | null = null;
  blocked: BlockRequest | null = null;
  pendingFinish: ((v: unknown) => Ref) | null = null;
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
    readonly toJS: (r: Ref) => unknown,
  ) {
    this.host = interp.host;
  }

  run(maxInstructions: number): StepResult {
    if (this.done)
      return { reason: this.error ? 'error' : 'finished', executed: 0, error: this.error ?? undefined };
    if (this.pendingFinish) throw new Error('thread is blocked: call resume(value) before run()');
    const prev = current;
    current = this;
    enterHeap(this.interp.heap);
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
      if (prev !== null) enterHeap(prev.interp.heap);
    }
    this.executed += executed;
    switch (code) {
      case BUDGET:
        return { reason: 'budget', executed };
      case BREAKER:
        return { reason: 'breaker', executed };
      case BLOCKED: {
        const blocked = this.blocked as BlockRequest;
        return { reason: 'blocked', executed, blocked };
      }
      case RETURNED: {
        this.done = true;
        const rv = this.retval;
        this.retval = 0;
        enterHeap(this.interp.heap);
        try {
          this.result = this.toJS(rv);
        } finally {
          dec(rv);
          if (prev !== null) enterHeap(prev.interp.heap);
        }
        return { reason: 'finished', executed };
      }
      default:
        this.done = true;
        return { reason: 'error', executed, error: this.error as PyExceptionInfo };
    }
  }

  resume(value: unknown): void {
    const fin = this.pendingFinish;
    if (!fin) throw new Error('thread is not blocked');
    this.pendingFinish = null;
    this.blocked = null;
    const f = this.frames[this.frames.length - 1];
    const prev = current;
    current = this;
    enterHeap(this.interp.heap);
    try {
      f.stack.push(fin(value));
    } catch (e) {
      f.stack.push(NONE);
      this.pendingThrow = e;
    } finally {
      current = prev;
      if (prev !== null) enterHeap(prev.interp.heap);
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
  /** Drop what an unfinished thread still holds (frames, handled exceptions, return value). */
  release(): void {
    enterHeap(this.interp.heap);
    while (this.frames.length > 0) {
      const f = this.frames.pop() as Frame;
      if (f.gen) f.gen.done = true;
      releaseFrame(f);
    }
    while (this.excStack.length > 0) dec(this.excStack.pop() as Ref);
    if (this.retval !== 0) {
      dec(this.retval);
      this.retval = 0;
    }
  }
}

/**
 * Block on a host request from inside a builtin. Returns the builtin's result (a new ref made by
 * `finish`) or BLOCKED_MARK.
 */
export function hostBlock(request: BlockRequest, finish: (v: unknown) => Ref): Ref {
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

function argError(code: CodeObject, msg: string): never {
  throw pyErr(PyTypeError, `${code.qualname}() ${msg}`);
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

/**
 * Bind arguments (borrowed) to a new locals array of new references (CPython's error messages).
 * On error nothing is left owned.
 */
export function bindArgs(fn: Ref, args: readonly Ref[], kw: Kw): Ref[] {
  const code = funcCode(fn);
  const locals: Ref[] = new Array<Ref>(code.nlocals).fill(0);
  try {
    bindInto(fn, code, locals, args, kw);
  } catch (e) {
    for (let i = 0; i < locals.length; i++) if (locals[i] !== 0) dec(locals[i]);
    throw e;
  }
  return locals;
}

function bindInto(fn: Ref, code: CodeObject, locals: Ref[], args: readonly Ref[], kw: Kw): void {
  const argc = code.argcount;
  const kwonly = code.kwonlyargcount;
  const hasVar = (code.flags & 0x04) !== 0;
  const hasKw = (code.flags & 0x08) !== 0;
  const defs = funcDefaults(fn);
  const ndef = defs === NONE ? 0 : tupleLen(defs);
  const n = Math.min(args.length, argc);
  for (let i = 0; i < n; i++) {
    inc(args[i]);
    locals[i] = args[i];
  }
  let vi = argc + kwonly;
  if (hasVar) locals[vi++] = args.length > argc ? newTuple(args.slice(argc)) : EMPTY_TUPLE;
  else if (args.length > argc) {
    const kwGiven = kw
      ? [...kw.keys()].filter(
          (k) => code.varnames.indexOf(k) >= argc && code.varnames.indexOf(k) < argc + kwonly,
        ).length
      : 0;
    const takes = ndef ? `from ${argc - ndef} to ${argc}` : String(argc);
    const given = kwGiven
      ? `${args.length} positional argument${args.length === 1 ? '' : 's'} (and ${plural(kwGiven, 'keyword-only argument')}) were given`
      : `${args.length} ${args.length === 1 ? 'was' : 'were'} given`;
    argError(code, `takes ${takes} positional argument${argc === 1 && !ndef ? '' : 's'} but ${given}`);
  }
  let kwdict: Ref = 0;
  if (hasKw) {
    kwdict = newDict();
    locals[vi] = kwdict;
  }
  if (kw) {
    for (const [k, v] of kw) {
      const idx = code.varnames.indexOf(k);
      if (idx >= 0 && idx < argc + kwonly) {
        if (locals[idx] !== 0) argError(code, `got multiple values for argument '${k}'`);
        inc(v);
        locals[idx] = v;
      } else if (kwdict !== 0) H.dictSet(kwdict, intern(k), v);
      else argError(code, `got an unexpected keyword argument '${k}'`);
    }
  }
  // defaults
  const missing: string[] = [];
  for (let i = 0; i < argc; i++) {
    if (locals[i] === 0) {
      const di = i - (argc - ndef);
      if (ndef && di >= 0) {
        const d = tupleAt(defs, di);
        inc(d);
        locals[i] = d;
      } else missing.push(code.varnames[i]);
    }
  }
  if (missing.length)
    argError(
      code,
      `missing ${plural(missing.length, 'required positional argument')}: ${namesList(missing)}`,
    );
  const kwd = funcKwdefaults(fn);
  for (let i = argc; i < argc + kwonly; i++) {
    if (locals[i] === 0) {
      const d = kwd === NONE ? 0 : H.dictGetStr(kwd, code.varnames[i]);
      if (d !== 0) {
        inc(d);
        locals[i] = d;
      } else missing.push(code.varnames[i]);
    }
  }
  if (missing.length)
    argError(
      code,
      `missing ${plural(missing.length, 'required keyword-only argument')}: ${namesList(missing)}`,
    );
}

/** A new generator object (handle ref) for a frame of generator code. */
function newGen(frame: Frame): Ref {
  return newHandle(new PyGen(frame, frame.code.name, frame.code.qualname));
}

/** Call a builtin object (args borrowed; result a new ref). */
function callBuiltin(f: Ref, args: Ref[], kw: Kw): Ref {
  const info = builtinInfo(f);
  const self = builtinSelf(f);
  return self === 0 ? info.fn(args, kw) : info.fn([self, ...args], kw);
}

/** Call any callable from JS (builtins calling back into Python use this). Args borrowed; new ref. */
export function callValue(f: Ref, args: readonly Ref[], kw: Kw = null): Ref {
  const k = kindOf(f);
  if (k === K_BUILTIN) return callBuiltin(f, args as Ref[], kw);
  if (k === K_FUNCTION) {
    const th = currentThread();
    const code = funcCode(f);
    if (code.fastArgc === args.length && !kw && code.poolable) {
      // callbacks (sort keys, map, filter) reuse recycled frames like the CALL fast path
      const fr = (code.spareFrame ?? code.framePool.pop()) as Frame | undefined;
      if (fr !== undefined && fr.crt.heapId === boundHeapId) {
        if (fr === code.spareFrame) code.spareFrame = undefined;
        const loc = fr.locals;
        for (let i = 0; i < args.length; i++) {
          inc(args[i]);
          loc[i] = args[i];
        }
        inc(f);
        fr.fn = f;
        fr.globals = funcGlobals(f);
        fr.pc = 0;
        return runNested(th, fr);
      }
    }
    const locals = bindArgs(f, args, kw);
    inc(f);
    const frame = new Frame(code, locals, funcGlobals(f), f);
    if (code.isGen) return newGen(frame);
    return runNested(th, frame);
  }
  if (k === K_TYPE) {
    const t = asType(f) as PyType;
    if (!t.ctor) throw pyErr(PyTypeError, `cannot create '${t.name}' instances`);
    return t.ctor(args as Ref[], kw);
  }
  throw pyErr(PyTypeError, `'${typeName(f)}' object is not callable`);
}

function runNested(th: Thread, frame: Frame): Ref {
  if (th.frames.length >= th.interp.recursionLimit) {
    releaseFrame(frame);
    throw pyErr(RecursionError, 'maximum recursion depth exceeded');
  }
  frame.excBase = th.excStack.length;
  th.frames.push(frame);
  const base = th.frames.length - 1;
  th.nesting++;
  try {
    runNestedFrames(th, base);
  } finally {
    th.nesting--;
  }
  const rv = th.retval;
  th.retval = 0;
  return rv;
}

/** Resume a generator sending `sent` (owned: handed to the generator). New ref, or 0 when done. */
function resumeGen(g: PyGen, sent: Ref): Ref {
  if (g.done) {
    dec(sent);
    return 0;
  }
  if (g.running) {
    dec(sent);
    throw pyErr(ValueError, 'generator already executing');
  }
  const th = currentThread();
  if (th.frames.length >= th.interp.recursionLimit) {
    dec(sent);
    throw pyErr(RecursionError, 'maximum recursion depth exceeded');
  }
  if (g.started) g.frame.stack.push(sent);
  else if (sent !== NONE) {
    dec(sent);
    throw pyErr(PyTypeError, "can't send non-None value to a just-started generator");
  }
  g.started = true;
  return runGen(th, g);
}

/** Run a generator's frame until it yields (new ref) or finishes (0). */
function runGen(th: Thread, g: PyGen): Ref {
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
  const rv = th.retval;
  th.retval = 0;
  if (code === YIELDED) return rv;
  g.done = true;
  if (rv !== 0) dec(rv);
  return 0;
}

/**
 * `generator.close()`: throw GeneratorExit in at the paused `yield` so `finally` blocks run.
 * Also run when the last reference to a suspended generator goes away ({@link decSlow}).
 */
export function closeGen(g: PyGen): void {
  if (g.done || g.running) return;
  if (!g.started) {
    g.done = true;
    releaseFrame(g.frame);
    return;
  }
  const th = currentThread();
  th.pendingThrow = pyErr(GeneratorExit);
  let r: Ref;
  try {
    r = runGen(th, g);
  } catch (e) {
    if (e instanceof PyExc && (e.type === GeneratorExit || e.type === StopIteration)) return;
    throw e;
  }
  if (r !== 0) {
    dec(r);
    throw pyErr(RuntimeError, 'generator ignored GeneratorExit');
  }
}

function genOf(r: Ref): PyGen {
  const g = handleOf(r);
  if (!(g instanceof PyGen)) throw pyErr(PyTypeError, `expected a generator, not ${typeName(r)}`);
  return g;
}

generatorType.methods.set(
  'send',
  registerNative(
    'send',
    (a) => {
      const g = genOf(a[0]);
      const sent = a[1] ?? NONE;
      inc(sent);
      const r = resumeGen(g, sent);
      if (r === 0) {
        if (g.returnValue !== 0 && g.returnValue !== NONE) throw stopIterationWith(g.returnValue);
        throw pyErr(StopIteration);
      }
      return r;
    },
    'generator',
  ),
);
generatorType.methods.set(
  'throw',
  registerNative(
    'throw',
    (a) => {
      const g = genOf(a[0]);
      const exc = makeExc(a[1] ?? NONE);
      if (g.done) throw exc;
      if (!g.started) {
        // throwing into a just-created generator raises at its first line without running it
        g.done = true;
        releaseFrame(g.frame);
        throw exc;
      }
      if (g.running) throw pyErr(ValueError, 'generator already executing');
      const th = currentThread();
      th.pendingThrow = exc;
      const r = runGen(th, g);
      if (r !== 0) return r;
      throw pyErr(StopIteration);
    },
    'generator',
  ),
);
generatorType.methods.set(
  'close',
  registerNative(
    'close',
    (a) => {
      closeGen(genOf(a[0]));
      return NONE;
    },
    'generator',
  ),
);

function stopIterationWith(v: Ref): PyExc {
  inc(v);
  return new PyExc(StopIteration, [v]);
}

// ---- attributes ----

/** `getattr(obj, name)`: a new ref. */
export function getAttr(obj: Ref, name: string): Ref {
  const kind = kindOf(obj);
  switch (kind) {
    case K_MODULE: {
      const v = H.dictGetStr(moduleDict(obj), name);
      if (v !== 0) {
        inc(v);
        return v;
      }
      if (name === '__name__') return newStr(moduleName(obj));
      throw pyErr(AttributeError, `module '${moduleName(obj)}' has no attribute '${name}'`);
    }
    case K_INSTANCE: {
      const d = instanceAttrs(obj);
      if (d !== NONE) {
        const v = H.dictGetStr(d, name);
        if (v !== 0) {
          inc(v);
          return v;
        }
      }
      break;
    }
    case K_HANDLE: {
      const h = handleOf(obj);
      if (h instanceof PyInstance) {
        const v = h.attrs.get(name);
        if (v !== undefined) {
          inc(v);
          return v;
        }
      } else if (h instanceof PyExc) {
        const r = excAttr(h, name);
        if (r !== 0) return r;
      }
      break;
    }
    case K_FUNCTION: {
      const code = funcCode(obj);
      if (name === '__name__') return newStr(code.name);
      if (name === '__qualname__') return newStr(code.qualname);
      if (name === '__module__') {
        const m = H.dictGetStr(funcGlobals(obj), '__name__');
        if (m === 0) return NONE;
        inc(m);
        return m;
      }
      if (name === '__defaults__') {
        const d = funcDefaults(obj);
        inc(d);
        return d;
      }
      if (name === '__doc__') return NONE;
      break;
    }
    case K_TYPE: {
      const t = asType(obj) as PyType;
      if (name === '__name__' || name === '__qualname__') return newStr(t.name);
      const a = t.attr(name);
      if (a !== undefined) {
        inc(a);
        return a;
      }
      const m = t.methods.get(name);
      if (m !== undefined) return newBuiltin(m);
      if (name === '__base__') return t.base ? typeRefOf(t.base) : NONE;
      break;
    }
    case K_BUILTIN:
      if (name === '__name__') return newStr(builtinInfo(obj).name);
      break;
  }
  const t = typeOf(obj);
  if (name === '__class__') return typeRefOf(t);
  for (let c: PyType | null = t; c; c = c.base) {
    const m = c.methods.get(name);
    if (m !== undefined) return newBuiltin(m, obj);
    const a = c.attr(name);
    if (a !== undefined && c === t && kind !== K_TYPE) {
      if (kindOf(a) === K_BUILTIN && builtinInfo(a).name === '__property__')
        return builtinInfo(a).fn([obj], null);
    }
  }
  if (kind === K_TYPE)
    throw pyErr(AttributeError, `type object '${(asType(obj) as PyType).name}' has no attribute '${name}'`);
  throw pyErr(AttributeError, `'${t.name}' object has no attribute '${name}'`);
}

/** Attributes of an exception object (new ref), 0 if not one of them. */
function excAttr(e: PyExc, name: string): Ref {
  switch (name) {
    case 'args':
      return newTuple(e.args);
    case '__cause__':
      return e.cause ? excRef(e.cause) : NONE;
    case '__context__':
      return e.context ? excRef(e.context) : NONE;
    case '__suppress_context__':
      return pyBool(e.suppressContext);
    case '__class__':
      return typeRefOf(e.type);
    case '__traceback__':
      return NONE;
  }
  const v = e.attrs?.get(name);
  if (v !== undefined) {
    inc(v);
    return v;
  }
  return 0;
}

/** `setattr(obj, name, v)` (v borrowed). */
export function setAttr(obj: Ref, name: string, v: Ref): void {
  const kind = kindOf(obj);
  if (kind === K_INSTANCE || kind === K_HANDLE) {
    const h = kind === K_HANDLE ? handleOf(obj) : null;
    const t = kind === K_INSTANCE ? instanceType(obj) : h instanceof PyInstance ? h.type : null;
    if (t !== null) {
      const setter = t.attr(`__set_${name}__`);
      if (setter !== undefined && kindOf(setter) === K_BUILTIN) {
        dec(builtinInfo(setter).fn([obj, v], null));
        return;
      }
      if (h instanceof PyInstance) h.setAttr(name, v);
      else H.dictSet(instanceDict(obj), intern(name), v);
      return;
    }
    if (h instanceof PyExc) {
      if (name === '__cause__') {
        h.cause = v === NONE ? null : excOf(v);
        h.suppressContext = true;
        return;
      }
      h.attrs ??= new Map();
      inc(v);
      const old = h.attrs.get(name);
      h.attrs.set(name, v);
      if (old !== undefined) dec(old);
      return;
    }
  }
  if (kind === K_MODULE) {
    globalsEpoch++;
    H.dictSet(moduleDict(obj), intern(name), v);
    return;
  }
  if (kind === K_FUNCTION)
    throw pyErr(AttributeError, `MiniPy functions do not support attribute assignment ('${name}')`);
  throw pyErr(AttributeError, `'${typeName(obj)}' object has no attribute '${name}'`);
}

// ---- exceptions ----

function toPyExc(e: unknown): PyExc {
  if (e instanceof PyExc) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return pyErr(RecursionError, 'maximum recursion depth exceeded');
  const h = fromHeapError(e);
  if (h !== null) return h;
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
function makeExc(v: Ref): PyExc {
  const e = excOf(v);
  if (e !== null) return e;
  const t = asType(v);
  if (t?.isExc) {
    const r = callValue(v, []);
    const x = excOf(r);
    // the PyExc outlives its handle (its args are not released with it)
    dec(r);
    if (x !== null) return x;
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

/** `str(exc)`. */
function excStr(exc: PyExc): string {
  const r = excRef(exc);
  try {
    return str(r);
  } finally {
    dec(r);
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
  const msg = excStr(exc);
  out.push(msg ? `${exc.type.name}: ${msg}` : exc.type.name);
  return out.join('\n');
}

function excInfo(exc: PyExc, interp: InterpreterState): PyExceptionInfo {
  return { type: exc.type.name, message: excStr(exc), traceback: `${formatException(exc, interp)}\n` };
}

/** Exception info for a PyExc (used by the interpreter for JS-side reporting). */
export function describeException(exc: PyExc, interp: InterpreterState): PyExceptionInfo {
  enterHeap(interp.heap);
  return excInfo(exc, interp);
}

const lastFrames = new WeakMap<PyExc, Frame>();
function addTb(exc: PyExc, f: Frame, pc: number): void {
  if (lastFrames.get(exc) === f) return;
  lastFrames.set(exc, f);
  exc.tb.unshift([f.code.filename, f.code.lines[Math.max(0, pc - 1)], f.code.name]);
}

// ---- the loop's slow paths ----

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

function isExcType(r: Ref): boolean {
  return asType(r)?.isExc === true;
}

function checkExcType(t: Ref): void {
  if (isTuple(t)) {
    for (const x of tupleItems(t)) if (!isExcType(x)) checkExcType(NONE);
    return;
  }
  if (!isExcType(t))
    throw pyErr(PyTypeError, 'catching classes that do not inherit from BaseException is not allowed');
}

function excMatches(exc: Ref, t: Ref): boolean {
  if (isTuple(t)) return tupleItems(t).some((x) => excMatches(exc, x));
  const e = excOf(exc);
  return e?.type.isSubtype(asType(t) as PyType) === true;
}

function unpackError(expected: number, got: number): never {
  if (got < expected)
    throw pyErr(ValueError, `not enough values to unpack (expected ${expected}, got ${got})`);
  throw pyErr(ValueError, `too many values to unpack (expected ${expected})`);
}

function callNative(fn: Ref, args: Ref[], kw: Kw): Ref {
  if (kindOf(fn) === K_BUILTIN) return callBuiltin(fn, args, kw);
  return callValue(fn, args, kw);
}

function kwFromNames(names: TupleConst, values: readonly Ref[]): Map<string, Ref> {
  const m = new Map<string, Ref>();
  const n = names.items.length;
  for (let i = 0; i < n; i++) m.set(names.items[i] as string, values[values.length - n + i]);
  return m;
}

/** [bound __exit__, result of __enter__] (new refs). */
function withEnterExit(mgr: Ref): [Ref, Ref] {
  const t = typeOf(mgr);
  let enter: number | undefined;
  let exit: number | undefined;
  for (let c: PyType | null = t; c && (enter === undefined || exit === undefined); c = c.base) {
    enter ??= c.methods.get('__enter__');
    exit ??= c.methods.get('__exit__');
  }
  if (enter === undefined || exit === undefined)
    throw pyErr(PyTypeError, `'${t.name}' object does not support the context manager protocol`);
  const bound = newBuiltin(exit, mgr);
  let entered: Ref;
  try {
    entered = nativeFn(enter)([mgr], null);
  } catch (e) {
    dec(bound);
    throw e;
  }
  return [bound, entered];
}

function nativeFn(id: number) {
  return nativeInfo(id).fn;
}

/** Whether `iter(v)` works (for the "not iterable" messages of unpacking and `*` arguments). */
function isIterable(v: Ref): boolean {
  try {
    dec(getIter(v));
    return true;
  } catch {
    return false;
  }
}

/** CPython's `_PyObject_FunctionStr`: `module.qualname()` for functions, `name()` for builtins. */
function funcStr(f: Ref): string {
  const k = kindOf(f);
  if (k === K_FUNCTION) {
    const mod = H.dictGetStr(funcGlobals(f), '__name__');
    const m = mod !== 0 && isStr(mod) ? strOf(mod) : '';
    return `${m && m !== 'builtins' ? `${m}.` : ''}${funcCode(f).qualname}()`;
  }
  if (k === K_BUILTIN) return `${builtinInfo(f).name}()`;
  return `${typeName(f)} object`;
}

/**
 * Look a global up (borrowed) and fill the code's cache. Cached refs are borrowed: every store to
 * a globals dict bumps `globalsEpoch` (the loop's stores, module setattr, and JS code through
 * {@link invalidateGlobalCaches}), so a cached ref is only used while the dict still holds it.
 */
function loadGlobal(crt: CodeRt, ni: number, globals: Ref, builtins: Ref, name: string): Ref {
  const key = crt.names[ni];
  let v = H.dictGet(globals, key);
  if (v === 0) {
    v = H.dictGet(builtins, key);
    if (v === 0) nameError(name);
  }
  if (crt.gdict !== globals) {
    crt.clear();
    crt.gdict = globals;
  }
  crt.gcache[ni] = v;
  crt.gepoch[ni] = globalsEpoch;
  return v;
}

/** STORE_GLOBAL without a GIL: the dict's critical section around the store. */
function storeGlobalShared(globals: Ref, key: Ref, v: Ref): void {
  lockRef(globals);
  try {
    H.dictSet(globals, key, v);
  } finally {
    unlockRef(globals);
  }
}

/** LOAD_GLOBAL without a GIL: a new reference taken inside the dict's critical section. */
function loadGlobalShared(ni: number, crt: CodeRt, globals: Ref, builtins: Ref, name: string): Ref {
  const key = crt.names[ni];
  lockRef(globals);
  let v: Ref;
  try {
    v = H.dictGet(globals, key);
    if (v !== 0) incref(v);
  } finally {
    unlockRef(globals);
  }
  if (v === 0) {
    // builtins are filled once, before any thread starts
    v = H.dictGet(builtins, key);
    if (v === 0) nameError(name);
    incref(v);
  }
  return v;
}

/** Pop `n` values off a stack, dropping their references. */
function popN(stack: Ref[], n: number): void {
  for (let k = 0; k < n; k++) {
    const v = stack.pop() as Ref;
    if (v !== 0) dec(v);
  }
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

// ---- automatic cycle collection ----

/** Back edges between two looks at the heap's container count. */
const GC_CHECK_EVERY = 1024;
let gcTicks = GC_CHECK_EVERY;
/** Containers allocated (net) since the last collection that trigger the next one. */
const GC_BASE_THRESHOLD = 7000;
let gcThreshold = GC_BASE_THRESHOLD;

/**
 * CPython collects cycles when enough containers were allocated since the last collection; the
 * loop looks at the heap's count every {@link GC_CHECK_EVERY} backward jumps (a safe point: every
 * live reference is owned by a frame, a handle or the interpreter). A collection that finds
 * nothing doubles the threshold (bounded), so programs without cyclic garbage pay little.
 * `gc.disable()` turns it off.
 */
function maybeCollect(th: Thread): void {
  gcTicks = GC_CHECK_EVERY;
  const h = H;
  // biased refcounts: free what other threads dropped to zero on objects this thread owns
  if (BIASED && h.hasQueued()) h.mergeQueued();
  // collect() needs the world stopped, and a handle's finalizer must run in the worker whose
  // table holds it: only a heap this thread has to itself is collected automatically
  if (!GIL_HEAP || SHARED) return;
  if (h.gcCount() < gcThreshold || !gcEnabled(th.interp.moduleContext)) return;
  const freed = h.collect();
  gcThreshold = freed > 0 ? GC_BASE_THRESHOLD : Math.min(gcThreshold * 2, 1 << 22);
}

/** Back edges of a loop before the jit compiles it. */
const JIT_HOT = 50;
const jitCounts = new WeakMap<CodeRt, Map<number, number>>();

/** The compiled loop for `head` (compiling it once hot), or null. */
function jitLoop(crt: CodeRt, code: CodeObject, head: number, back: number): LoopFn | null {
  let loops = crt.loops;
  if (loops === null) loops = crt.loops = new Map();
  const fn = loops.get(head);
  if (fn !== undefined) return fn;
  let counts = jitCounts.get(crt);
  if (counts === undefined) jitCounts.set(crt, (counts = new Map()));
  const n = (counts.get(head) ?? 0) + 1;
  counts.set(head, n);
  if (n < JIT_HOT) return null;
  const compiled = compileLoop(code, head, back);
  loops.set(head, compiled);
  return compiled;
}

/**
 * Run `th` for at most `budget` instructions. `base` is the index of the bottom frame of this
 * run; `nested` runs return RETURNED/YIELDED to a builtin and rethrow exceptions as JS throws.
 */
/**
 * The rarer opcodes, out of line: keeps `execute` small enough for V8 to compile quickly and
 * its JS stack frame small (builtins that call back into Python nest `execute`). None of these
 * switches frames or jumps; `w` is the instruction word, `stack` the frame's value stack.
 */
function coldOp(w: number, stack: Ref[], f: Frame, th: Thread): void {
  const code = f.code;
  const crt = f.crt;
  const excStack = th.excStack;
  const interp = th.interp;
  switch (w & 0xff) {
    case 11: // DELETE_NAME
    case 14: {
      // DELETE_GLOBAL
      globalsEpoch++;
      const key = crt.names[w >> 8];
      lockRef(f.globals);
      let v: Ref;
      try {
        v = H.dictGet(f.globals, key);
        if (v !== 0) {
          inc(v);
          H.dictDelete(f.globals, key);
        }
      } finally {
        unlockRef(f.globals);
      }
      if (v === 0) nameError(code.names[w >> 8]);
      dec(v);
      return;
    }
    case 17: {
      // DELETE_DEREF
      const c = (f.cells as Ref[])[w >> 8];
      if (cellGet(c) === 0) derefError(code, w >> 8);
      cellSet(c, 0);
      return;
    }
    case 33: {
      // BUILD_SLICE
      const n = w >> 8 === 3 ? 3 : 2;
      const sl = stack.length;
      const s = newSlice(stack[sl - n], stack[sl - n + 1], n === 3 ? stack[sl - 1] : NONE);
      popN(stack, n);
      stack.push(s);
      return;
    }
    case 36: {
      // BUILD_SET
      const n = w >> 8;
      const s = newSet(stack.slice(stack.length - n));
      popN(stack, n);
      stack.push(s);
      return;
    }
    case 37: {
      // BUILD_MAP
      const n = w >> 8;
      const d = newDict();
      try {
        for (let i = stack.length - 2 * n; i < stack.length; i += 2) dictStore(d, stack[i], stack[i + 1]);
      } catch (e) {
        dec(d);
        throw e;
      }
      popN(stack, 2 * n);
      stack.push(d);
      return;
    }
    case 38: {
      // BUILD_STRING
      const n = w >> 8;
      let s = '';
      for (let i = stack.length - n; i < stack.length; i++) s += strOf(stack[i]);
      popN(stack, n);
      stack.push(newStr(s));
      return;
    }
    case 42: {
      // LIST_EXTEND
      const v = stack[stack.length - 1];
      const l = stack[stack.length - 1 - (w >> 8)];
      if (!isIterable(v)) throw pyErr(PyTypeError, `Value after * must be an iterable, not ${typeName(v)}`);
      for (const x of toArray(v)) H.listAppendSteal(l, x);
      stack.pop();
      dec(v);
      return;
    }
    case 43: {
      // SET_UPDATE
      const v = stack[stack.length - 1];
      const s = stack[stack.length - 1 - (w >> 8)];
      const items = toArray(v);
      try {
        for (const x of items) setAddKey(s, x);
      } finally {
        for (const x of items) dec(x);
      }
      stack.pop();
      dec(v);
      return;
    }
    case 44: // DICT_UPDATE
    case 45: {
      // DICT_MERGE
      const v = stack[stack.length - 1];
      const d = stack[stack.length - 1 - (w >> 8)];
      const merge = (w & 0xff) === 45;
      // DICT_MERGE builds a call's **kwargs: the callable sits below the args tuple and the dict
      if (!isDict(v)) {
        throw pyErr(
          PyTypeError,
          merge
            ? `${funcStr(stack[stack.length - 1 - (w >> 8) - 2])} argument after ** must be a mapping, not ${typeName(v)}`
            : `'${typeName(v)}' object is not a mapping`,
        );
      }
      for (let p = H.dictNext(v, -1); p >= 0; p = H.dictNext(v, p)) {
        const k = H.dictKeyAt(v, p);
        if (merge && H.dictGet(d, k) !== 0)
          throw pyErr(
            PyTypeError,
            `${funcStr(stack[stack.length - 1 - (w >> 8) - 2])} got multiple values for keyword argument '${str(k)}'`,
          );
        H.dictSet(d, k, H.dictValueAt(v, p));
      }
      stack.pop();
      dec(v);
      return;
    }
    case 46: {
      // LIST_TO_TUPLE
      const l = stack[stack.length - 1];
      stack[stack.length - 1] = newTuple(H.listItems(l));
      dec(l);
      return;
    }
    case 47: {
      // UNPACK_SEQUENCE
      const n = w >> 8;
      const s = stack[stack.length - 1];
      if (isTuple(s) || isList(s)) {
        const a = isTuple(s) ? tupleItems(s) : H.listItems(s);
        if (a.length !== n) unpackError(n, a.length);
        stack.pop();
        for (let i = n - 1; i >= 0; i--) {
          inc(a[i]);
          stack.push(a[i]);
        }
        dec(s);
        return;
      }
      if (!isIterable(s)) throw pyErr(PyTypeError, `cannot unpack non-iterable ${typeName(s)} object`);
      const a = toArray(s);
      if (a.length !== n) {
        for (const x of a) dec(x);
        unpackError(n, a.length);
      }
      stack.pop();
      for (let i = n - 1; i >= 0; i--) stack.push(a[i]);
      dec(s);
      return;
    }
    case 48: {
      // UNPACK_EX
      const before = (w >> 8) & 0xff;
      const after = w >> 16;
      const s = stack[stack.length - 1];
      if (!isIterable(s)) throw pyErr(PyTypeError, `cannot unpack non-iterable ${typeName(s)} object`);
      const a = toArray(s);
      if (a.length < before + after) {
        for (const x of a) dec(x);
        throw pyErr(
          ValueError,
          `not enough values to unpack (expected at least ${before + after}, got ${a.length})`,
        );
      }
      stack.pop();
      for (let i = a.length - 1; i >= a.length - after; i--) stack.push(a[i]);
      stack.push(newListSteal(a.slice(before, a.length - after)));
      for (let i = before - 1; i >= 0; i--) stack.push(a[i]);
      dec(s);
      return;
    }
    case 49: {
      // FORMAT_VALUE
      const flags = w >> 8;
      const hasSpec = (flags & 4) !== 0;
      const spec = hasSpec ? strOf(stack[stack.length - 1]) : '';
      const v = stack[stack.length - (hasSpec ? 2 : 1)];
      const conv = flags & 3;
      let r: Ref;
      if (conv === 0 && spec === '' && isStr(v)) {
        inc(v);
        r = v;
      } else {
        let s: string | null = null;
        if (conv === 1) s = str(v);
        else if (conv === 2 || conv === 3) s = repr(v);
        if (s !== null && spec === '') r = newStr(s);
        else if (s !== null) {
          const t = newStr(s);
          try {
            r = newStr(formatValue(t, spec));
          } finally {
            dec(t);
          }
        } else r = newStr(formatValue(v, spec));
      }
      popN(stack, hasSpec ? 2 : 1);
      stack.push(r);
      return;
    }
    case 61: {
      // MAKE_FUNCTION
      const flags = w >> 8;
      let k = stack.length - 1;
      const c = codeOf(stack[k--]);
      const closure = flags & 8 ? stack[k--] : NONE;
      const kwd = flags & 2 ? stack[k--] : NONE;
      const defs = flags & 1 ? stack[k--] : NONE;
      const fnr = newFunction(c, f.globals, defs, kwd, closure);
      popN(stack, stack.length - 1 - k);
      stack.push(fnr);
      return;
    }
    case 65: {
      // RAISE_VARARGS
      const n = w >> 8;
      if (n === 0) {
        const top = excStack[excStack.length - 1];
        if (top === undefined) throw pyErr(RuntimeError, 'No active exception to reraise');
        throw excOf(top);
      }
      const sl = stack.length;
      const cause = n === 2 ? stack[sl - 1] : 0;
      const exc = makeExc(stack[sl - n]);
      if (cause !== 0) {
        if (cause === NONE) exc.cause = null;
        else {
          const c = makeExc(cause);
          if (excOf(cause) === null && !isExcType(cause)) {
            throw pyErr(PyTypeError, 'exception causes must derive from BaseException');
          }
          exc.cause = c;
        }
        exc.suppressContext = true;
      }
      popN(stack, n);
      throw exc;
    }
    case 69: {
      // CHECK_EXC_MATCH
      const t = stack[stack.length - 1];
      checkExcType(t);
      const r = excMatches(stack[stack.length - 2], t);
      stack[stack.length - 1] = r ? TRUE : FALSE;
      dec(t);
      return;
    }
    case 73: {
      // WITH_EXIT
      if (w >> 8 === 0) {
        const exit = stack[stack.length - 1];
        dec(callNative(exit, [NONE, NONE, NONE], null));
        stack.pop();
        dec(exit);
      } else {
        const exc = stack[stack.length - 1];
        const exit = stack[stack.length - 2];
        const e = excOf(exc) as PyExc;
        dec(callNative(exit, [typeRefOf(e.type), exc, NONE], null));
        stack.pop();
        stack[stack.length - 1] = exc;
        dec(exit);
      }
      return;
    }
    case 74: {
      // IMPORT_NAME
      const m = interp.importModule(code.names[w >> 8]);
      inc(m);
      popN(stack, 2);
      stack.push(m);
      return;
    }
    case 75: {
      // IMPORT_FROM
      const m = stack[stack.length - 1];
      const name = code.names[w >> 8];
      const v = H.dictGetStr(moduleDict(m), name);
      if (v === 0)
        throw pyErr(ImportError, `cannot import name '${name}' from '${moduleName(m)}' (unknown location)`);
      inc(v);
      stack.push(v);
      return;
    }
    case 76: {
      // IMPORT_STAR
      const m = stack[stack.length - 1];
      const d = moduleDict(m);
      globalsEpoch++;
      for (let p = H.dictNext(d, -1); p >= 0; p = H.dictNext(d, p)) {
        const k = H.dictKeyAt(d, p);
        if (!strOf(k).startsWith('_')) H.dictSet(f.globals, k, H.dictValueAt(d, p));
      }
      stack.pop();
      dec(m);
      return;
    }
    default:
      throw pyErr(SystemError, `unknown opcode ${w & 0xff}`);
  }
}

function execute(th: Thread, budget: number, base: number, nested: boolean): number {
  const frames = th.frames;
  const excStack = th.excStack;
  const host = th.host;
  const interp = th.interp;
  const builtins = interp.builtins;
  const jit = interp.jit && !nested;
  // a host whose answer cannot change while a compiled loop runs lets it skip the check
  // The host's eval-breaker word, when it has one: read inline, onBreaker only when it is set. A
  // plain read, as CPython reads eval_breaker with a relaxed load: an Atomics.load here cost ~4 ns
  // per backward jump (a fifth of a countdown iteration). Every check re-reads the word; the
  // dispatch loop's calls and stores keep V8 from hoisting it, and the setter uses Atomics.store.
  const brk = host.breakerWord ?? null;
  const breaker =
    host.stableBreaker === true ? null : () => (brk === null || brk[0] !== 0) && host.onBreaker(th);
  let f = frames[frames.length - 1];
  let code = f.code;
  let crt = f.crt;
  let instrs = code.quick;
  let orig = code.code;
  let consts = crt.consts;
  let locals = f.locals;
  let stack = f.stack;
  let pc = f.pc;
  let remaining = budget;
  let kwnames: TupleConst | null = null;
  /**
   * LOAD_GLOBAL -> FUSED_BINOP -> CALL chain: the callee on the stack is still borrowed from the
   * globals dict (no incref yet). Only inside one chained dispatch, where no Python code runs; every
   * way out of the chain but the CALL fast path into recyclable code takes the reference first.
   */
  let borrowedFn = false;
  /** Instructions of nested runs (generators, callbacks) folded into `remaining`. */
  let folded = 0;
  for (;;) {
    try {
      if (th.pendingThrow !== null) {
        const e = th.pendingThrow;
        th.pendingThrow = null;
        throw e;
      }
      dispatch: for (;;) {
        if (remaining <= 0) {
          f.pc = pc;
          exitCount(th, budget - remaining, folded, nested);
          return BUDGET;
        }
        remaining--;
        let w = instrs[pc++];
        switch (w & 0xff) {
          case 0: // NOP
          case 63: // RESUME
            continue;
          case 1: {
            // POP_TOP
            const v = stack.pop() as Ref;
            if (v !== 0) {
              if ((v & 1) === 0) {
                if (FAST) {
                  const k = (v >> 2) + 1;
                  const rc = I32[k];
                  if (rc > 1) I32[k] = rc - 1;
                  else if (rc >= 0) decSlow(v);
                } else decSlow(v);
              }
            }
            continue;
          }
          case 2: // PUSH_NULL
            stack.push(0);
            continue;
          case 3: {
            // COPY
            const v = stack[stack.length - (w >> 8)];
            inc(v);
            stack.push(v);
            continue;
          }
          case 4: {
            // SWAP
            const i = stack.length - (w >> 8);
            const t = stack[i];
            stack[i] = stack[stack.length - 1];
            stack[stack.length - 1] = t;
            continue;
          }
          case 5: // LOAD_CONST (immortal: no incref)
            stack.push(consts[w >> 8]);
            continue;
          case 6: {
            // LOAD_FAST
            const v = locals[w >> 8];
            if (v === 0) unboundLocal(code, w >> 8);
            if ((v & 1) === 0) {
              if (FAST) {
                const k = (v >> 2) + 1;
                const rc = I32[k];
                if (rc >= 0) I32[k] = rc + 1;
              } else incref(v);
            }
            stack.push(v);
            continue;
          }
          case 7: {
            // STORE_FAST
            const i = w >> 8;
            const old = locals[i];
            locals[i] = stack.pop() as Ref;
            if (old !== 0) {
              if ((old & 1) === 0) {
                if (FAST) {
                  const k = (old >> 2) + 1;
                  const rc = I32[k];
                  if (rc > 1) I32[k] = rc - 1;
                  else if (rc >= 0) decSlow(old);
                } else decSlow(old);
              }
            }
            continue;
          }
          case 8: {
            // DELETE_FAST
            const v = locals[w >> 8];
            if (v === 0) unboundLocal(code, w >> 8);
            locals[w >> 8] = 0;
            f.pc = pc;
            dec(v);
            continue;
          }
          // @ts-expect-error TS7029: the fallthrough into the next case is the superinstruction chain
          // biome-ignore lint/suspicious/noFallthroughSwitchClause: superinstruction chain (falls into the next case)
          case 84: {
            // FUSED_CMP_JUMP
            // load a; load b; COMPARE_OP op; POP_JUMP_IF_FALSE/TRUE on small ints, else just the first load
            const w0 = orig[pc - 1];
            const a = (w0 & 0xff) === 6 /* LOAD_FAST */ ? locals[w0 >> 8] : consts[w0 >> 8];
            const w1 = instrs[pc];
            const b = (w1 & 0xff) === 6 ? locals[w1 >> 8] : consts[w1 >> 8];
            if ((a & b & 1) !== 1 || remaining < 3) {
              if (a === 0) unboundLocal(code, w0 >> 8);
              inc(a);
              stack.push(a);
              continue;
            }
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
            // superinstruction chain: a return next (`if n < 2: return n`) runs in the case below
            const nop = instrs[pc] & 0xff;
            if (remaining <= 0 || (nop !== 85 && nop !== 86 && nop !== 62)) continue;
            remaining--;
            w = instrs[pc++];
          }
          case 85: // FUSED_LOAD_RETURN
          case 86: // FUSED_BINOP_RETURN
          // @ts-expect-error TS7029: the fallthrough into the next case is the superinstruction chain
          // biome-ignore lint/suspicious/noFallthroughSwitchClause: superinstruction chain (falls into the next case)
          case 62: {
            // RETURN_VALUE (FUSED_LOAD_RETURN: LOAD_FAST/LOAD_CONST then RETURN_VALUE;
            // FUSED_BINOP_RETURN: BINARY_OP then RETURN_VALUE)
            // A return whose caller goes on with another return loops here; one whose caller goes
            // on with LOAD_GLOBAL falls into that case below.
            for (;;) {
              let rv: Ref;
              if ((w & 0xff) === 86) {
                const b = stack[stack.length - 1];
                const a = stack[stack.length - 2];
                const op = w >> 8;
                let r: Ref;
                const s = (a >> 1) + (b >> 1);
                if ((a & b & 1) === 1 && (op === 0 || op === 13) && s >= TAG_MIN && s <= TAG_MAX)
                  r = (s << 1) | 1;
                else {
                  r = binaryOp(op, a, b);
                  dec(b);
                  dec(a);
                }
                stack.pop();
                stack.pop();
                if (remaining <= 0) {
                  // no budget left for the RETURN_VALUE half
                  stack.push(r);
                  continue dispatch;
                }
                remaining--;
                rv = r;
                pc++;
              } else if ((w & 0xff) === 85) {
                const isLocal = (orig[pc - 1] & 0xff) === 6;
                const v = isLocal ? locals[w >> 8] : consts[w >> 8];
                if (v === 0) unboundLocal(code, w >> 8);
                if ((v & 1) === 0) {
                  if (FAST) {
                    const k = (v >> 2) + 1;
                    const rc = I32[k];
                    if (rc >= 0) I32[k] = rc + 1;
                  } else incref(v);
                }
                if (remaining <= 0) {
                  // no budget left for the RETURN_VALUE half: do just the load
                  stack.push(v);
                  continue dispatch;
                }
                remaining--;
                rv = v;
                pc++;
              } else rv = stack.pop() as Ref;
              frames.pop();
              if (excStack.length > f.excBase) {
                while (excStack.length > f.excBase) dec(excStack.pop() as Ref);
              }
              const g = f.gen;
              if (g !== null) {
                g.done = true;
                g.returnValue = rv;
                rv = 0;
              }
              if (stack.length !== 0 || f.cells !== null) releaseFrame(f);
              else {
                // the common case inline: fast locals and the function
                for (let i = 0; i < locals.length; i++) {
                  const v = locals[i];
                  if (v !== 0) {
                    locals[i] = 0;
                    if ((v & 1) === 0) {
                      if (FAST) {
                        const k = (v >> 2) + 1;
                        const rc = I32[k];
                        if (rc > 1) I32[k] = rc - 1;
                        else if (rc >= 0) decSlow(v);
                      } else decSlow(v);
                    }
                  }
                }
                const fnr = f.fn;
                if (fnr !== 0) {
                  f.fn = 0;
                  if ((fnr & 1) === 0) {
                    if (FAST) {
                      const k = (fnr >> 2) + 1;
                      const rc = I32[k];
                      if (rc > 1) I32[k] = rc - 1;
                      else if (rc >= 0) decSlow(fnr);
                    } else decSlow(fnr);
                  }
                }
                f.blocks = null;
              }
              if (g === null && code.poolable && code.framePool.length < 32) {
                // nothing can reference a returned frame without cells: recycle it for the next call
                if (code.spareFrame === undefined) code.spareFrame = f;
                else code.framePool.push(f);
              }
              if (frames.length === base) {
                th.retval = rv;
                exitCount(th, budget - remaining, folded, nested);
                return RETURNED;
              }
              f = frames[frames.length - 1];
              code = f.code;
              crt = f.crt;
              instrs = code.quick;
              orig = code.code;
              consts = crt.consts;
              locals = f.locals;
              stack = f.stack;
              pc = f.pc;
              stack.push(rv);
              const nop = instrs[pc] & 0xff;
              if (remaining > 0 && (nop === 86 || nop === 85 || nop === 62)) {
                // the caller returns too (`return f(a) + f(b)`): no dispatch in between
                remaining--;
                w = instrs[pc++];
                continue;
              }
              // chain: a LOAD_GLOBAL next (the caller's next call) runs in the case below
              if (remaining <= 0 || nop !== 12) continue dispatch;
              remaining--;
              w = instrs[pc++];
              break;
            }
          }
          case 9: // LOAD_NAME
          // @ts-expect-error TS7029: the fallthrough into the next case is the superinstruction chain
          // biome-ignore lint/suspicious/noFallthroughSwitchClause: superinstruction chain (falls into the next case)
          case 12: {
            // LOAD_GLOBAL: per-code cache of name -> value, valid while no global store happened
            const isGlobal = (w & 0xff) === 12;
            const arg = w >> 8;
            const ni = isGlobal ? arg >> 1 : arg;
            if (isGlobal && arg & 1) stack.push(0);
            let v: Ref;
            if (GIL_HEAP) {
              if (crt.gepoch[ni] === globalsEpoch && crt.gdict === f.globals) v = crt.gcache[ni];
              else v = loadGlobal(crt, ni, f.globals, builtins, code.names[ni]);
              if (FAST && remaining > 0 && (instrs[pc] & 0xff) === 83) {
                // chain into `f(x op c)`: the reference is taken (or, for a call into recyclable
                // code, never needed) further down the chain, see borrowedFn
                stack.push(v);
                borrowedFn = true;
                remaining--;
                w = instrs[pc++];
              } else {
                if ((v & 1) === 0) {
                  if (FAST) {
                    const k = (v >> 2) + 1;
                    const rc = I32[k];
                    if (rc >= 0) I32[k] = rc + 1;
                  } else incref(v);
                }
                stack.push(v);
                // chain: a FUSED_BINOP next (the call's argument) runs in the case below
                if (remaining <= 0 || (instrs[pc] & 0xff) !== 83) continue;
                remaining--;
                w = instrs[pc++];
              }
              // no GIL: other threads store to the same dict and the epoch is per worker: look up
              // and take the reference inside the dict's critical section, no cache
            } else {
              stack.push(loadGlobalShared(ni, crt, f.globals, builtins, code.names[ni]));
              if (remaining <= 0 || (instrs[pc] & 0xff) !== 83) continue;
              remaining--;
              w = instrs[pc++];
            }
          }
          case 82: // FUSED_BINOP_STORE
          // @ts-expect-error TS7029: the fallthrough into the next case is the superinstruction chain
          // biome-ignore lint/suspicious/noFallthroughSwitchClause: superinstruction chain (falls into the next case)
          case 83: {
            // FUSED_BINOP
            // load a; load b; BINARY_OP op; [STORE_FAST s] on small ints, else just the first load
            const w0 = orig[pc - 1];
            const a = (w0 & 0xff) === 6 /* LOAD_FAST */ ? locals[w0 >> 8] : consts[w0 >> 8];
            const w1 = instrs[pc];
            const b = (w1 & 0xff) === 6 ? locals[w1 >> 8] : consts[w1 >> 8];
            const store = (w & 0xff) === 82;
            let r = Number.NaN;
            if ((a & b & 1) === 1 && remaining >= (store ? 3 : 2)) {
              const op = instrs[pc + 1] >> 8;
              if (op === 10 || op === 23) r = (a >> 1) - (b >> 1);
              else if (op === 0 || op === 13) r = (a >> 1) + (b >> 1);
            }
            if (!(r >= TAG_MIN && r <= TAG_MAX)) {
              if (borrowedFn) {
                borrowedFn = false;
                inc(stack[stack.length - 1]);
              }
              if (a === 0) unboundLocal(code, w0 >> 8);
              inc(a);
              stack.push(a);
              continue;
            }
            const t = (r << 1) | 1;
            if (store) {
              const si = instrs[pc + 2] >> 8;
              const old = locals[si];
              locals[si] = t;
              pc += 3;
              remaining -= 3;
              if (old !== 0 && (old & 1) === 0) dec(old);
              continue;
            }
            stack.push(t);
            pc += 2;
            remaining -= 2;
            // chain: a CALL next runs in the case below without a dispatch
            if (remaining <= 0 || (instrs[pc] & 0xff) !== 58) {
              if (borrowedFn) {
                borrowedFn = false;
                inc(stack[stack.length - 2]);
              }
              continue;
            }
            remaining--;
            w = instrs[pc++];
          }
          case 58: {
            // CALL
            const argc = w >> 8;
            const sl = stack.length;
            let fn = stack[sl - argc - 2];
            let first = sl - argc;
            if (fn === 0) fn = stack[sl - argc - 1];
            else first = sl - argc - 1;
            const nargs = sl - first;
            const fk = kindOf(fn);
            // a callee borrowed by the LOAD_GLOBAL chain: a frame of recyclable code (no cells,
            // not a generator) never uses its function after binding, so it need not own it
            let owned = !borrowedFn;
            borrowedFn = false;
            if (fk === K_FUNCTION) {
              const fcode = funcCode(fn);
              if (!owned && !fcode.poolable) {
                inc(fn);
                owned = true;
              }
              if (nargs === fcode.fastArgc && kwnames === null && frames.length < interp.recursionLimit) {
                // fast path: move the positionals straight from the value stack into the locals
                let nf = fcode.spareFrame as Frame | undefined;
                if (nf !== undefined) fcode.spareFrame = undefined;
                else nf = fcode.framePool.pop() as Frame | undefined;
                if (nf !== undefined && nf.crt.heapId !== boundHeapId) {
                  // recycled in another heap (a code object shared by interpreters)
                  fcode.framePool.length = 0;
                  nf = undefined;
                }
                let newLocals: Ref[];
                if (nf !== undefined) {
                  newLocals = nf.locals;
                  nf.globals = funcGlobals(fn);
                  nf.pc = 0;
                } else newLocals = new Array<Ref>(fcode.nlocals).fill(0);
                for (let i = nargs - 1; i >= 0; i--) newLocals[i] = stack.pop() as Ref;
                // the callable's reference moves to the frame; then the NULL (if any)
                stack.pop();
                if (nargs === argc) stack.pop();
                // cells are initialised from the arguments, so construct after binding them
                if (nf === undefined) nf = new Frame(fcode, newLocals, funcGlobals(fn), owned ? fn : 0);
                else nf.fn = owned ? fn : 0;
                nf.excBase = excStack.length;
                f.pc = pc;
                frames.push(nf);
                f = nf;
                code = fcode;
                crt = nf.crt;
                instrs = code.quick;
                orig = code.code;
                consts = crt.consts;
                locals = newLocals;
                stack = nf.stack;
                // execute the leading RESUME (a no-op) right here: one dispatch less per call
                if (remaining > 0) {
                  remaining--;
                  pc = 1;
                } else pc = 0;
                if (!nested && (brk === null || brk[0] !== 0) && host.onBreaker(th)) {
                  f.pc = pc;
                  exitCount(th, budget - remaining, folded, nested);
                  return BREAKER;
                }
                continue;
              }
            }
            if (!owned) inc(fn);
            const args = stack.slice(first, sl);
            let kw: Kw = null;
            if (kwnames !== null) {
              kw = kwFromNames(kwnames, args);
              args.length -= kwnames.items.length;
              kwnames = null;
            }
            if (fk === K_FUNCTION && !funcCode(fn).isGen) {
              if (frames.length >= interp.recursionLimit)
                throw pyErr(RecursionError, 'maximum recursion depth exceeded');
              const fcode = funcCode(fn);
              const newLocals = bindArgs(fn, args, kw);
              inc(fn);
              popN(stack, argc + 2);
              const nf = new Frame(fcode, newLocals, funcGlobals(fn), fn);
              nf.excBase = excStack.length;
              f.pc = pc;
              frames.push(nf);
              f = nf;
              code = fcode;
              crt = nf.crt;
              instrs = code.quick;
              orig = code.code;
              consts = crt.consts;
              locals = newLocals;
              stack = nf.stack;
              pc = 0;
              if (!nested && (brk === null || brk[0] !== 0) && host.onBreaker(th)) {
                f.pc = pc;
                exitCount(th, budget - remaining, folded, nested);
                return BREAKER;
              }
              continue;
            }
            f.pc = pc;
            th.stepUsed = budget - remaining;
            const r = fk === K_BUILTIN ? callBuiltin(fn, args, kw) : callValue(fn, args, kw);
            if (th.nestedExecuted !== 0) {
              remaining -= th.nestedExecuted;
              folded += th.nestedExecuted;
              th.nestedExecuted = 0;
            }
            popN(stack, argc + 2);
            if (r === BLOCKED_MARK) {
              exitCount(th, budget - remaining, folded, nested);
              return BLOCKED;
            }
            stack.push(r);
            if (!nested && (brk === null || brk[0] !== 0) && host.onBreaker(th)) {
              exitCount(th, budget - remaining, folded, nested);
              return BREAKER;
            }
            continue;
          }
          case 10: // STORE_NAME
          case 13: {
            // STORE_GLOBAL
            globalsEpoch++;
            const v = stack[stack.length - 1];
            if (GIL_HEAP) H.dictSet(f.globals, crt.names[w >> 8], v);
            else storeGlobalShared(f.globals, crt.names[w >> 8], v);
            stack.pop();
            dec(v);
            continue;
          }
          case 11:
          case 14:
            coldOp(w, stack, f, th);
            continue;
          case 15: {
            // LOAD_DEREF
            const v = cellGet((f.cells as Ref[])[w >> 8]);
            if (v === 0) derefError(code, w >> 8);
            inc(v);
            stack.push(v);
            continue;
          }
          case 16: {
            // STORE_DEREF
            const v = stack.pop() as Ref;
            cellSet((f.cells as Ref[])[w >> 8], v);
            dec(v);
            continue;
          }
          case 17:
            coldOp(w, stack, f, th);
            continue;
          case 18: {
            // LOAD_CLOSURE
            const c = (f.cells as Ref[])[w >> 8];
            inc(c);
            stack.push(c);
            continue;
          }
          case 19: {
            // LOAD_ATTR
            const o = stack[stack.length - 1];
            const r = getAttr(o, code.names[w >> 8]);
            stack[stack.length - 1] = r;
            dec(o);
            continue;
          }
          case 20: {
            // STORE_ATTR
            const o = stack[stack.length - 1];
            const v = stack[stack.length - 2];
            setAttr(o, code.names[w >> 8], v);
            stack.pop();
            stack.pop();
            dec(o);
            dec(v);
            continue;
          }
          case 80: // DELETE_ATTR
            throw pyErr(AttributeError, `cannot delete attribute '${code.names[w >> 8]}' in MiniPy`);
          case 21: {
            // LOAD_METHOD: [method, self] for builtin methods of the type, else [NULL, attr]
            const o = stack[stack.length - 1];
            const name = code.names[w >> 8];
            const k = kindOf(o);
            if (k !== K_MODULE && k !== K_TYPE && k !== K_INSTANCE) {
              const h = k === K_HANDLE ? handleOf(o) : null;
              if (!(h instanceof PyExc) && !(h instanceof PyInstance && h.attrs.has(name))) {
                let m: number | undefined;
                for (let c: PyType | null = typeOf(o); c && m === undefined; c = c.base)
                  m = c.methods.get(name);
                if (m !== undefined) {
                  stack[stack.length - 1] = unboundMethod(m);
                  stack.push(o);
                  continue;
                }
              }
            }
            const r = getAttr(o, name);
            stack[stack.length - 1] = 0;
            stack.push(r);
            dec(o);
            continue;
          }
          case 22: {
            // BINARY_OP
            const b = stack[stack.length - 1];
            const a = stack[stack.length - 2];
            const op = w >> 8;
            if ((a & b & 1) === 1) {
              const x = a >> 1;
              const y = b >> 1;
              let r = Number.NaN;
              if (op === 10 || op === 23) r = x - y;
              else if (op === 0 || op === 13) r = x + y;
              else if (op === 5 || op === 18) {
                r = x * y;
                if (r > 9007199254740991 || r < -9007199254740991) r = Number.NaN;
              }
              if (r >= TAG_MIN && r <= TAG_MAX) {
                stack.pop();
                stack[stack.length - 1] = (r << 1) | 1;
                continue;
              }
              if (!Number.isNaN(r)) {
                // an int outside the tagged range: a heap int (exact: |r| < 2**53)
                stack.pop();
                stack[stack.length - 1] = newInt(r === 0 ? 0 : r);
                continue;
              }
            } else if ((a & 1) === 0 && (b & 1) === 0 && u8[a] === T_FLOAT && u8[b] === T_FLOAT) {
              const o = op >= 13 ? op - 13 : op;
              if (o === 0 || o === 10 || o === 5 || (o === 11 && F64[(b + OFF_VALUE) >> 3] !== 0)) {
                const x = F64[(a + OFF_VALUE) >> 3];
                const y = F64[(b + OFF_VALUE) >> 3];
                const r = newFloat(o === 0 ? x + y : o === 10 ? x - y : o === 5 ? x * y : x / y);
                stack.pop();
                stack[stack.length - 1] = r;
                dec(b);
                dec(a);
                continue;
              }
            }
            const r = binaryOp(op, a, b);
            stack.pop();
            stack[stack.length - 1] = r;
            dec(b);
            dec(a);
            continue;
          }
          case 23: {
            // UNARY_NEGATIVE
            const v = stack[stack.length - 1];
            if ((v & 1) === 1 && v !== (TAG_MIN << 1) + 1) {
              stack[stack.length - 1] = (-(v >> 1) << 1) | 1;
              continue;
            }
            stack[stack.length - 1] = unaryNeg(v);
            dec(v);
            continue;
          }
          case 24: {
            // UNARY_POSITIVE
            const v = stack[stack.length - 1];
            stack[stack.length - 1] = unaryPos(v);
            dec(v);
            continue;
          }
          case 26: {
            // UNARY_INVERT
            const v = stack[stack.length - 1];
            stack[stack.length - 1] = unaryInvert(v);
            dec(v);
            continue;
          }
          case 25: {
            // UNARY_NOT
            const v = stack[stack.length - 1];
            const r = v === TRUE ? FALSE : v === FALSE ? TRUE : pyBool(!truthy(v));
            stack[stack.length - 1] = r;
            dec(v);
            continue;
          }
          case 27: {
            // COMPARE_OP
            const b = stack[stack.length - 1];
            const a = stack[stack.length - 2];
            const op = w >> 8;
            let r: boolean;
            if ((a & b & 1) === 1) {
              // tagged ints order as their values
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
              stack.pop();
              stack[stack.length - 1] = r ? TRUE : FALSE;
              continue;
            }
            if (op === 2) r = eq(a, b);
            else if (op === 3) r = !eq(a, b);
            else r = compare(a, b, op === 0 ? 'lt' : op === 1 ? 'le' : op === 4 ? 'gt' : 'ge');
            stack.pop();
            stack[stack.length - 1] = r ? TRUE : FALSE;
            dec(b);
            dec(a);
            continue;
          }
          case 28: {
            // IS_OP
            const b = stack.pop() as Ref;
            const a = stack[stack.length - 1];
            const same = a === b;
            stack[stack.length - 1] = (w >> 8 === 0 ? same : !same) ? TRUE : FALSE;
            dec(b);
            dec(a);
            continue;
          }
          case 29: {
            // CONTAINS_OP
            const c = stack[stack.length - 1];
            const x = stack[stack.length - 2];
            const r = contains(c, x);
            stack.pop();
            stack[stack.length - 1] = (w >> 8 === 0 ? r : !r) ? TRUE : FALSE;
            dec(c);
            dec(x);
            continue;
          }
          case 30: {
            // BINARY_SUBSCR
            const i = stack[stack.length - 1];
            const o = stack[stack.length - 2];
            let r: Ref;
            if (
              GIL_HEAP &&
              (i & 1) === 1 &&
              (o & 1) === 0 &&
              u8[o] === T_LIST &&
              i >= 1 &&
              i >> 1 < listLen(o)
            ) {
              r = listAt(o, i >> 1);
              inc(r);
            } else r = getItem(o, i);
            stack.pop();
            stack[stack.length - 1] = r;
            dec(i);
            dec(o);
            continue;
          }
          case 31: {
            // STORE_SUBSCR
            const i = stack[stack.length - 1];
            const o = stack[stack.length - 2];
            const v = stack[stack.length - 3];
            setItem(o, i, v);
            stack.pop();
            stack.pop();
            stack.pop();
            dec(i);
            dec(o);
            dec(v);
            continue;
          }
          case 32: {
            // DELETE_SUBSCR
            const i = stack[stack.length - 1];
            const o = stack[stack.length - 2];
            delItem(o, i);
            stack.pop();
            stack.pop();
            dec(i);
            dec(o);
            continue;
          }
          case 33:
            coldOp(w, stack, f, th);
            continue;
          case 34: {
            // BUILD_TUPLE
            const n = w >> 8;
            stack.push(n === 0 ? EMPTY_TUPLE : newTupleSteal(stack.splice(stack.length - n, n)));
            continue;
          }
          case 35: {
            // BUILD_LIST
            const n = w >> 8;
            stack.push(newListSteal(n ? stack.splice(stack.length - n, n) : []));
            continue;
          }
          case 36:
            coldOp(w, stack, f, th);
            continue;
          case 37:
            coldOp(w, stack, f, th);
            continue;
          case 38:
            coldOp(w, stack, f, th);
            continue;
          case 39: {
            // LIST_APPEND
            const v = stack.pop() as Ref;
            H.listAppendSteal(stack[stack.length - (w >> 8)], v);
            continue;
          }
          case 40: {
            // SET_ADD
            const v = stack[stack.length - 1];
            setAddKey(stack[stack.length - 1 - (w >> 8)], v);
            stack.pop();
            dec(v);
            continue;
          }
          case 41: {
            // MAP_ADD
            const v = stack[stack.length - 1];
            const k = stack[stack.length - 2];
            dictStore(stack[stack.length - 2 - (w >> 8)], k, v);
            stack.pop();
            stack.pop();
            dec(v);
            dec(k);
            continue;
          }
          case 42:
            coldOp(w, stack, f, th);
            continue;
          case 43:
            coldOp(w, stack, f, th);
            continue;
          case 44:
          case 45:
            coldOp(w, stack, f, th);
            continue;
          case 46:
            coldOp(w, stack, f, th);
            continue;
          case 47:
            coldOp(w, stack, f, th);
            continue;
          case 48:
            coldOp(w, stack, f, th);
            continue;
          case 49:
            coldOp(w, stack, f, th);
            continue;
          case 50: // JUMP_FORWARD
            pc = w >> 8;
            continue;
          case 51: {
            // JUMP_BACKWARD
            const back = pc - 1;
            pc = w >> 8;
            if (!nested && (brk === null || brk[0] !== 0) && host.onBreaker(th)) {
              f.pc = pc;
              exitCount(th, budget - remaining, folded, nested);
              return BREAKER;
            }
            if (--gcTicks < 0) {
              f.pc = pc;
              maybeCollect(th);
            }
            if (jit && stack.length === 0) {
              const loop = jitLoop(crt, code, pc, back);
              if (loop !== null) {
                const n = loop(locals, remaining, breaker);
                remaining -= n;
                pc = loopExit.pc;
                if (loopExit.reason === EXIT_BREAKER) {
                  f.pc = pc;
                  exitCount(th, budget - remaining, folded, nested);
                  return BREAKER;
                }
              }
            }
            continue;
          }
          case 52: {
            // POP_JUMP_IF_FALSE
            const v = stack[stack.length - 1];
            if (v === FALSE) pc = w >> 8;
            else if (v !== TRUE) {
              if (!truthy(v)) pc = w >> 8;
              dec(v);
            }
            stack.pop();
            continue;
          }
          case 53: {
            // POP_JUMP_IF_TRUE
            const v = stack[stack.length - 1];
            if (v === TRUE) pc = w >> 8;
            else if (v !== FALSE) {
              if (truthy(v)) pc = w >> 8;
              dec(v);
            }
            stack.pop();
            continue;
          }
          case 54: // JUMP_IF_FALSE_OR_POP
            if (!truthy(stack[stack.length - 1])) pc = w >> 8;
            else dec(stack.pop() as Ref);
            continue;
          case 55: // JUMP_IF_TRUE_OR_POP
            if (truthy(stack[stack.length - 1])) pc = w >> 8;
            else dec(stack.pop() as Ref);
            continue;
          case 87: {
            // SEND: STACK[-1] = STACK[-2].send(STACK[-1]); on exhaustion pop both, push the return value, jump
            const sent = stack[stack.length - 1];
            const recv = stack[stack.length - 2];
            f.pc = pc;
            const g = handleOf(recv);
            let v: Ref;
            if (g instanceof PyGen) {
              stack.pop(); // the reference goes to the generator
              v = resumeGen(g, sent);
            } else if (sent === NONE) {
              v = iterNext(recv);
              stack.pop();
            } else throw pyErr(AttributeError, `'${typeName(recv)}' object has no attribute 'send'`);
            if (th.nestedExecuted !== 0) {
              remaining -= th.nestedExecuted;
              folded += th.nestedExecuted;
              th.nestedExecuted = 0;
            }
            if (v === 0) {
              let rv: Ref = NONE;
              if (g instanceof PyGen && g.returnValue !== 0) {
                rv = g.returnValue;
                inc(rv);
              }
              stack[stack.length - 1] = rv;
              dec(recv);
              pc = w >> 8;
            } else stack.push(v);
            continue;
          }
          case 78: {
            // POP_JUMP_IF_NONE
            const v = stack.pop() as Ref;
            if (v === NONE) pc = w >> 8;
            else dec(v);
            continue;
          }
          case 79: {
            // POP_JUMP_IF_NOT_NONE
            const v = stack.pop() as Ref;
            if (v !== NONE) {
              pc = w >> 8;
              dec(v);
            }
            continue;
          }
          case 56: {
            // GET_ITER
            const v = stack[stack.length - 1];
            const it = getIter(v);
            stack[stack.length - 1] = it;
            dec(v);
            continue;
          }
          case 57: {
            // FOR_ITER
            const it = stack[stack.length - 1];
            const h = handleOf(it);
            let v: Ref;
            if (h instanceof RangeIter) {
              if (h.i < h.n) {
                h.i++;
                const x = h.cur;
                h.cur += h.step;
                v = x >= TAG_MIN && x <= TAG_MAX ? (x << 1) | 1 : newInt(x);
              } else v = 0;
            } else if (h instanceof SeqIter) {
              v = h.next();
            } else {
              f.pc = pc;
              v = iterNext(it);
              if (th.nestedExecuted !== 0) {
                remaining -= th.nestedExecuted;
                folded += th.nestedExecuted;
                th.nestedExecuted = 0;
              }
            }
            if (v === 0) {
              stack.pop();
              f.pc = pc;
              dec(it);
              pc = w >> 8;
            } else stack.push(v);
            continue;
          }
          case 59: // KW_NAMES
            kwnames = code.consts[w >> 8] as TupleConst;
            continue;
          case 60: {
            // CALL_FUNCTION_EX
            const hasKw = ((w >> 8) & 1) !== 0;
            const sl = stack.length;
            const kwd = hasKw ? stack[sl - 1] : 0;
            const argt = stack[sl - (hasKw ? 2 : 1)];
            const fn = stack[sl - (hasKw ? 3 : 2)];
            const nslots = hasKw ? 4 : 3;
            let kw: Kw = null;
            if (kwd !== 0) {
              kw = new Map();
              for (let p = H.dictNext(kwd, -1); p >= 0; p = H.dictNext(kwd, p)) {
                const k = H.dictKeyAt(kwd, p);
                if (!isStr(k)) throw pyErr(PyTypeError, 'keywords must be strings');
                kw.set(strOf(k), H.dictValueAt(kwd, p));
              }
            }
            const args = tupleItems(argt);
            if (kindOf(fn) === K_FUNCTION && !funcCode(fn).isGen) {
              if (frames.length >= interp.recursionLimit)
                throw pyErr(RecursionError, 'maximum recursion depth exceeded');
              const fcode = funcCode(fn);
              const newLocals = bindArgs(fn, args, kw);
              inc(fn);
              popN(stack, nslots);
              const nf = new Frame(fcode, newLocals, funcGlobals(fn), fn);
              nf.excBase = excStack.length;
              f.pc = pc;
              frames.push(nf);
              f = nf;
              code = fcode;
              crt = nf.crt;
              instrs = code.quick;
              orig = code.code;
              consts = crt.consts;
              locals = newLocals;
              stack = nf.stack;
              pc = 0;
              if (!nested && (brk === null || brk[0] !== 0) && host.onBreaker(th)) {
                f.pc = pc;
                exitCount(th, budget - remaining, folded, nested);
                return BREAKER;
              }
              continue;
            }
            f.pc = pc;
            th.stepUsed = budget - remaining;
            const r = callNative(fn, args, kw);
            if (th.nestedExecuted !== 0) {
              remaining -= th.nestedExecuted;
              folded += th.nestedExecuted;
              th.nestedExecuted = 0;
            }
            popN(stack, nslots);
            if (r === BLOCKED_MARK) {
              exitCount(th, budget - remaining, folded, nested);
              return BLOCKED;
            }
            stack.push(r);
            if (!nested && (brk === null || brk[0] !== 0) && host.onBreaker(th)) {
              f.pc = pc;
              exitCount(th, budget - remaining, folded, nested);
              return BREAKER;
            }
            continue;
          }
          case 61:
            coldOp(w, stack, f, th);
            continue;
          case 64: {
            // YIELD_VALUE
            const v = stack.pop() as Ref;
            f.pc = pc;
            frames.pop();
            th.retval = v;
            exitCount(th, budget - remaining, folded, nested);
            return YIELDED;
          }
          case 65:
            coldOp(w, stack, f, th);
            continue;
          case 66: {
            // RERAISE
            const v = stack.pop() as Ref;
            const e = excOf(v);
            dec(v);
            throw e;
          }
          case 67: {
            // PUSH_EXC_INFO
            const v = stack[stack.length - 1];
            inc(v);
            excStack.push(v);
            continue;
          }
          case 68: // POP_EXCEPT
            dec(excStack.pop() as Ref);
            continue;
          case 69:
            coldOp(w, stack, f, th);
            continue;
          case 70: // SETUP_FINALLY
            (f.blocks ??= []).push(w >> 8, stack.length, excStack.length);
            continue;
          case 71: {
            // POP_BLOCK
            const bl = f.blocks as number[];
            bl.pop();
            bl.pop();
            bl.pop();
            continue;
          }
          case 72: {
            // BEFORE_WITH
            const mgr = stack[stack.length - 1];
            f.pc = pc;
            th.stepUsed = budget - remaining;
            const [exit, entered] = withEnterExit(mgr);
            stack[stack.length - 1] = exit;
            dec(mgr);
            if (entered === BLOCKED_MARK) {
              exitCount(th, budget - remaining, folded, nested);
              return BLOCKED;
            }
            stack.push(entered);
            continue;
          }
          case 73:
            coldOp(w, stack, f, th);
            continue;
          case 74:
            coldOp(w, stack, f, th);
            continue;
          case 75:
            coldOp(w, stack, f, th);
            continue;
          case 76:
            coldOp(w, stack, f, th);
            continue;
          case 77: // LOAD_ASSERTION_ERROR
            stack.push(typeRefOf(AssertionError));
            continue;
          case 81: // STORE_SLICE
            throw pyErr(SystemError, 'STORE_SLICE is not emitted by this compiler');
          default:
            throw pyErr(SystemError, `unknown opcode ${w & 0xff}`);
        }
      }
    } catch (e) {
      if (e instanceof BudgetExhausted) {
        // unwind nested frames silently; the outermost run reports the budget stop as an error
        while (frames.length > base) {
          const fr = frames.pop() as Frame;
          while (excStack.length > fr.excBase) dec(excStack.pop() as Ref);
          if (fr.gen) fr.gen.done = true;
          releaseFrame(fr);
        }
        if (nested) throw e;
        f.pc = pc;
        exitCount(th, budget - remaining, folded, nested);
        const exc = pyErr(RuntimeError, 'instruction budget exhausted');
        th.errorExc = exc;
        th.error = excInfo(exc, interp);
        return ERROR;
      }
      const exc = toPyExc(e);
      kwnames = null;
      borrowedFn = false;
      if (exc.context === null) {
        const top = excStack[excStack.length - 1];
        const t = top === undefined ? null : excOf(top);
        if (t !== null && t !== exc) exc.context = t;
      }
      // unwind to a handler
      for (;;) {
        addTb(exc, f, pc);
        const blocks = f.blocks;
        if (blocks !== null && blocks.length > 0) {
          const excDepth = blocks.pop() as number;
          const depth = blocks.pop() as number;
          const target = blocks.pop() as number;
          popN(stack, stack.length - depth);
          while (excStack.length > excDepth) dec(excStack.pop() as Ref);
          stack.push(excRef(exc));
          pc = target;
          break;
        }
        frames.pop();
        while (excStack.length > f.excBase) dec(excStack.pop() as Ref);
        if (f.gen) f.gen.done = true;
        f.pc = pc;
        releaseFrame(f);
        if (frames.length === base) {
          exitCount(th, budget - remaining, folded, nested);
          if (nested) throw exc;
          th.errorExc = exc;
          th.error = excInfo(exc, interp);
          return ERROR;
        }
        f = frames[frames.length - 1];
        code = f.code;
        crt = f.crt;
        instrs = code.quick;
        orig = code.code;
        consts = crt.consts;
        locals = f.locals;
        stack = f.stack;
        pc = f.pc;
      }
    }
  }
}
