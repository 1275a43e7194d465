/**
 * The supported standard modules. Anything about threads, time, locks or processes goes through
 * the {@link Host}, so the simulator and the worker runtime each supply their own behaviour.
 *
 * Every module function is a native registered once at load; it finds its interpreter through
 * `currentThread().interp.moduleContext`. Threading objects (Thread, Lock, RLock, Event,
 * Condition) are heap instances (`K_INSTANCE`: type index + host id + attrs dict), so workers that
 * share one heap can share them; sha256 objects are thread-local JS handles.
 */

import { pyHash } from './builtins.js';
import { dis as disassemble } from './dis.js';
import { callValue, currentThread, hostBlock } from './eval.js';
import { hexId, instanceReprs, intDigits, str, typeModules } from './format.js';
import type { Host, StartThreadRequest } from './host.js';
import {
  acoshLibc,
  asinhLibc,
  coshLibc,
  cPow,
  crAcos,
  crAsin,
  crAtan,
  crAtan2,
  crCos,
  crExp,
  crHypot,
  crLog,
  crLog2,
  crSin,
  crTan,
  log10Libc,
  sinhLibc,
} from './libm.js';
import {
  AttributeError,
  IndexError,
  type Kw,
  type NativeFn,
  NotImplementedError,
  OverflowError,
  objectType,
  PyExc,
  PyInstance,
  PyType,
  PyTypeError,
  pyErr,
  RuntimeError,
  SystemExit,
  toArray,
  toFloat,
  truthy,
  typeName,
  ValueError,
  ZeroDivisionError,
} from './objects.js';
import { binaryOp } from './ops.js';
import { MersenneTwister } from './random.js';
import {
  bigOf,
  builtinInfo,
  bytesOf,
  decref,
  decrefAll,
  FALSE,
  funcCode,
  H,
  handleOf,
  incref,
  instanceDict,
  instanceNative,
  instanceType,
  instanceWord,
  intern,
  intOf,
  isBytes,
  isDict,
  isFloat,
  isIntLike,
  isList,
  isStr,
  isTuple,
  K_BUILTIN,
  K_FUNCTION,
  K_INSTANCE,
  kindOf,
  kwGet,
  lockRef,
  NONE,
  newBuiltin,
  newBytes,
  newFloat,
  newHandle,
  newInstance,
  newInt,
  newList,
  newListSteal,
  newModule,
  newStr,
  newTuple,
  pyBool,
  type Ref,
  registerNative,
  setInstanceNative,
  setInstanceWord,
  strOf,
  TRUE,
  tupleItems,
  typeRef,
  unlockRef,
  xdecref,
} from './rt.js';
import { Sha256, sha512 } from './sha256.js';

/** What module natives need from their interpreter (built by the Interpreter, one per instance). */
export interface ModuleContext {
  host: Host;
  /** The interpreter object handed to `host.startThread` (has `threadFor`). */
  interpreter: unknown;
  readonly source: string;
  filename: string;
  /** The `__main__` globals dict (borrowed). */
  globals: Ref;
  getRecursionLimit(): number;
  setRecursionLimit(n: number): void;
  /** Convert a (borrowed) ref to plain JS. */
  toJS(r: Ref): unknown;
  /** Convert plain JS to a new ref. */
  fromJS(v: unknown): Ref;
  /** Thread objects by id (for current_thread()); the map owns one reference to each. */
  threads: Map<number, Ref>;
  mainThreadId: number;
}

// int -> str conversions (format.ts) read the running interpreter's sys.set_int_max_str_digits
intDigits.limit = () => {
  let c: ModuleContext;
  try {
    c = ctx();
  } catch {
    return 4300; // no MiniPy thread running (a repr from JS): CPython's default
  }
  return modStates.get(c)?.intMaxStrDigits ?? 4300;
};

/** The module context of the running thread's interpreter. */
function ctx(): ModuleContext {
  return currentThread().interp.moduleContext;
}

/** Per-interpreter module state (random generator, Thread-N counter). */
interface ModState {
  mt: MersenneTwister | null;
  threadCounter: number;
  /** gc.enable()/gc.disable(): whether automatic collection is on. */
  gcEnabled: boolean;
  /** random.gauss's second value (CPython's `gauss_next`; seed() clears it). */
  gaussNext: number | null;
  /** sys.set_int_max_str_digits (0: no limit). */
  intMaxStrDigits: number;
  /**
   * Thread objects inside their start() call (borrowed: start's caller holds them). A host that
   * runs the new thread inline (DefaultHost) runs it before start() learns its id, so
   * current_thread() there adopts the innermost one.
   */
  starting: Ref[];
}
const modStates = new WeakMap<ModuleContext, ModState>();
function stateOf(c: ModuleContext): ModState {
  let s = modStates.get(c);
  if (s === undefined) {
    s = { mt: null, threadCounter: 0, gcEnabled: true, gaussNext: null, intMaxStrDigits: 4300, starting: [] };
    modStates.set(c, s);
  }
  return s;
}

function meth(t: PyType, name: string, f: NativeFn): void {
  t.methods.set(name, registerNative(name, f, t.name));
}
/** Positional argument `i` or keyword `name` (borrowed), or 0 when absent. */
function arg(a: Ref[], kw: Kw, i: number, name: string): Ref {
  if (a.length > i) return a[i];
  return kwGet(kw, name);
}
/** A real number argument (CPython's PyFloat_AsDouble message). */
function num(r: Ref): number {
  const f = toFloat(r);
  if (f === undefined) throw pyErr(PyTypeError, `must be real number, not ${typeName(r)}`);
  return f;
}
/** A timeout argument: None or absent -> -1 (wait forever). */
function timeoutArg(r: Ref): number {
  return r === 0 || r === NONE ? -1 : num(r);
}
/** An int argument (bool allowed), as `operator.index` takes it. */
function intArg(r: Ref): bigint {
  if (!isIntLike(r)) {
    throw pyErr(PyTypeError, `'${typeName(r)}' object cannot be interpreted as an integer`);
  }
  return bigOf(r);
}
function needArgs(a: Ref[], n: number, name: string): void {
  if (a.length < n) {
    throw pyErr(
      PyTypeError,
      `${name}() takes exactly ${n === 1 ? 'one argument' : `${n} arguments`} (${a.length} given)`,
    );
  }
}

/** Set `obj.name = v` on an instance's attrs dict (v borrowed); its critical section without a GIL. */
function setAttrOf(obj: Ref, name: string, v: Ref): void {
  const d = instanceDict(obj);
  lockRef(d);
  try {
    H.dictSet(d, intern(name), v);
  } finally {
    unlockRef(d);
  }
}
/** Set `obj.name = v`, handing over the caller's reference to v. */
function setAttrSteal(obj: Ref, name: string, v: Ref): void {
  setAttrOf(obj, name, v);
  decref(v);
}
/**
 * Borrowed `obj.name` from an instance's attrs dict, or 0. The attributes read this way (a
 * thread's target, args, name; a condition's lock) are set once and never replaced, so the
 * borrowed ref stays valid even without a GIL.
 */
function attrOf(obj: Ref, name: string): Ref {
  const d = instanceDict(obj);
  lockRef(d);
  try {
    return H.dictGetStr(d, name);
  } finally {
    unlockRef(d);
  }
}

// ---- types, created at load in a fixed order (PyType.index must agree between workers) ----

function threadCtor(a: Ref[], kw: Kw): Ref {
  for (const k of kw?.keys() ?? []) {
    if (!['target', 'args', 'kwargs', 'name', 'daemon', 'group'].includes(k)) {
      throw pyErr(PyTypeError, `Thread.__init__() got an unexpected keyword argument '${k}'`);
    }
  }
  const c = ctx();
  const target = arg(a, kw, 1, 'target') || NONE;
  const name = arg(a, kw, 2, 'name') || NONE;
  const args = arg(a, kw, 3, 'args');
  const kwargs = arg(a, kw, 4, 'kwargs') || NONE;
  const daemon = arg(a, kw, 5, 'daemon');
  // materialize args first: it may raise (not iterable) before anything is allocated
  const argItems = args === 0 ? [] : toArray(args);
  const argTuple = newTuple(argItems);
  decrefAll(argItems);
  let tname: string;
  if (name !== NONE) tname = str(name);
  else {
    // CPython numbers only the threads it names itself, and adds the target's __name__
    const st = stateOf(c);
    st.threadCounter++;
    const tn =
      kindOf(target) === K_FUNCTION
        ? funcCode(target).name
        : kindOf(target) === K_BUILTIN
          ? builtinInfo(target).name
          : null;
    tname = `Thread-${st.threadCounter}${tn === null ? '' : ` (${tn})`}`;
  }
  const t = makeThreadObject(-1, tname, false);
  setAttrOf(t, '_target', target);
  setAttrSteal(t, '_args', argTuple);
  setAttrOf(t, '_kwargs', kwargs);
  setAttrOf(t, 'daemon', pyBool(daemon !== 0 && truthy(daemon)));
  return t;
}

/** threading.Thread */
export const threadType = new PyType('Thread', objectType, threadCtor);
/** threading.Lock() objects */
export const lockType = new PyType('lock', objectType, () =>
  newInstance(lockType, ctx().host.newLock(false)),
);
/** threading.RLock() objects */
export const rlockType = new PyType('RLock', objectType, () =>
  newInstance(rlockType, ctx().host.newLock(true)),
);
/** threading.Event */
export const eventType = new PyType('Event', objectType, () => newInstance(eventType, ctx().host.newEvent()));
/** threading.Condition */
export const conditionType = new PyType('Condition', objectType, (a, kw) => {
  const c = ctx();
  let lock = arg(a, kw, 0, 'lock');
  let own = false;
  if (lock === 0 || lock === NONE) {
    lock = newInstance(rlockType, c.host.newLock(true));
    own = true;
  }
  try {
    if (
      kindOf(lock) !== K_INSTANCE ||
      (instanceType(lock) !== lockType && instanceType(lock) !== rlockType)
    ) {
      // CPython's Condition reads lock.acquire first
      throw pyErr(AttributeError, `'${typeName(lock)}' object has no attribute 'acquire'`);
    }
    const cond = newInstance(conditionType, c.host.newCondition(instanceNative(lock)));
    setAttrOf(cond, '_lock', lock);
    return cond;
  } finally {
    if (own) decref(lock);
  }
});
/** threading.Semaphore (not supported: raises NotImplementedError) */
export const semaphoreType = new PyType('Semaphore', objectType, () => {
  throw pyErr(NotImplementedError, 'threading.Semaphore is not supported by MiniPy');
});
/** multiprocessing.Pool */
export const poolType = new PyType('Pool', objectType, (a, kw) => {
  const p = arg(a, kw, 0, 'processes');
  const processes = p === 0 || p === NONE ? cpuCount(ctx()) : Number(intArg(p));
  if (processes < 1) throw pyErr(ValueError, 'Number of processes must be at least 1');
  return newInstance(poolType, processes);
});
/** hashlib.sha256 objects */
export const shaType = new PyType('HASH', objectType);
/** sys.stdout / sys.stderr */
export const textIOType = new PyType('TextIOWrapper', objectType);
/** multiprocessing.current_process() */
export const processType = new PyType('_MainProcess', objectType);

for (const [t, mod] of [
  [lockType, '_thread'],
  [rlockType, '_thread'],
  [threadType, 'threading'],
  [eventType, 'threading'],
  [conditionType, 'threading'],
  [semaphoreType, 'threading'],
  [shaType, '_hashlib'],
  [textIOType, '_io'],
  [processType, 'multiprocessing.process'],
] as const) {
  typeModules.set(t, mod);
}

/** The streaming hash state of a sha256 object (a PyInstance handle). */
function shaOf(r: Ref): Sha256 {
  const h = handleOf(r);
  if (!(h instanceof PyInstance) || h.type !== shaType) {
    throw pyErr(PyTypeError, "descriptor requires a '_hashlib.HASH' object");
  }
  return h.native as Sha256;
}

// ---- threading methods ----

function lockAcquire(lock: Ref, blockingArg: Ref, timeoutR: Ref): Ref {
  const id = instanceNative(lock);
  const blocking = blockingArg === 0 ? true : truthy(blockingArg);
  const timeout = timeoutR === 0 || timeoutR === NONE ? -1 : num(timeoutR);
  if (!blocking && timeout !== -1) throw pyErr(ValueError, "can't specify a timeout for a non-blocking call");
  if (timeout < 0 && timeout !== -1) throw pyErr(ValueError, 'timeout value must be positive');
  const th = currentThread();
  if (ctx().host.tryAcquire(th, id)) return TRUE;
  if (!blocking) return FALSE;
  return hostBlock({ kind: 'lock', lockId: id, timeout }, (v) => pyBool(v === true));
}
function lockRelease(lock: Ref): Ref {
  try {
    ctx().host.release(currentThread(), instanceNative(lock));
  } catch (e) {
    if (e instanceof PyExc) throw e;
    throw pyErr(RuntimeError, e instanceof Error ? e.message : String(e));
  }
  return NONE;
}

for (const t of [lockType, rlockType]) {
  meth(t, 'acquire', (a, kw) => lockAcquire(a[0], arg(a, kw, 1, 'blocking'), arg(a, kw, 2, 'timeout')));
  meth(t, '__enter__', (a) => lockAcquire(a[0], 0, 0));
  meth(t, 'release', (a) => lockRelease(a[0]));
  meth(t, '__exit__', (a) => {
    lockRelease(a[0]);
    return FALSE;
  });
  meth(t, 'locked', (a) => pyBool(ctx().host.isLocked(instanceNative(a[0]))));
}
function lockRepr(r: Ref): string {
  const locked = ctx().host.isLocked(instanceNative(r));
  const t = instanceType(r);
  // an unlocked RLock has no owner and count 0 (the host does not expose a held one's count)
  const extra = t === rlockType && !locked ? ' owner=0 count=0' : '';
  return `<${locked ? 'locked' : 'unlocked'} _thread.${t.name} object${extra} at ${hexId(r)}>`;
}
instanceReprs.set(lockType, lockRepr);
instanceReprs.set(rlockType, lockRepr);
instanceReprs.set(eventType, (r) => {
  const state = ctx().host.isEventSet(instanceNative(r)) ? 'set' : 'unset';
  return `<threading.Event at ${hexId(r)}: ${state}>`;
});
instanceReprs.set(conditionType, (r) => `<Condition(${lockRepr(condLock(r))}, 0)>`);
instanceReprs.set(threadType, (r) => {
  // CPython: <Thread(name, initial|started ident|stopped ident[ daemon])>
  const c = ctx();
  const id = instanceNative(r);
  const name = str(attrOf(r, 'name') || NONE);
  let status = 'initial';
  if (instanceWord(r) !== 0) status = id === c.mainThreadId || c.host.isAlive(id) ? 'started' : 'stopped';
  const daemon = attrOf(r, 'daemon') === TRUE ? ' daemon' : '';
  const ident = status === 'initial' ? '' : ` ${id}`;
  const cls = id === c.mainThreadId && instanceWord(r) !== 0 ? '_MainThread' : 'Thread';
  return `<${cls}(${name}, ${status}${daemon}${ident})>`;
});
instanceReprs.set(shaType, (r) => `<sha256 _hashlib.HASH object @ ${hexId(r)}>`);

meth(eventType, 'set', (a) => {
  ctx().host.setEvent(instanceNative(a[0]), true);
  return NONE;
});
meth(eventType, 'clear', (a) => {
  ctx().host.setEvent(instanceNative(a[0]), false);
  return NONE;
});
meth(eventType, 'is_set', (a) => pyBool(ctx().host.isEventSet(instanceNative(a[0]))));
meth(eventType, 'wait', (a, kw) => {
  const id = instanceNative(a[0]);
  if (ctx().host.isEventSet(id)) return TRUE;
  const timeout = timeoutArg(arg(a, kw, 1, 'timeout'));
  return hostBlock({ kind: 'event', eventId: id, timeout }, (v) => pyBool(v === true));
});

/** The lock of a Condition (borrowed). */
function condLock(cond: Ref): Ref {
  return attrOf(cond, '_lock');
}
meth(conditionType, 'acquire', (a, kw) =>
  lockAcquire(condLock(a[0]), arg(a, kw, 1, 'blocking'), arg(a, kw, 2, 'timeout')),
);
meth(conditionType, '__enter__', (a) => lockAcquire(condLock(a[0]), 0, 0));
meth(conditionType, 'release', (a) => lockRelease(condLock(a[0])));
meth(conditionType, '__exit__', (a) => {
  lockRelease(condLock(a[0]));
  return FALSE;
});
meth(conditionType, 'wait', (a, kw) => {
  const cond = a[0];
  const timeout = timeoutArg(arg(a, kw, 1, 'timeout'));
  const lockId = instanceNative(condLock(cond));
  if (!ctx().host.isLocked(lockId)) throw pyErr(RuntimeError, 'cannot wait on un-acquired lock');
  return hostBlock({ kind: 'condition', conditionId: instanceNative(cond), lockId, timeout }, (v) =>
    pyBool(v === true),
  );
});
meth(conditionType, 'notify', (a, kw) => {
  const n = arg(a, kw, 1, 'n');
  ctx().host.notify(instanceNative(a[0]), n === 0 ? 1 : Number(intArg(n)));
  return NONE;
});
meth(conditionType, 'notify_all', (a) => {
  ctx().host.notify(instanceNative(a[0]), -1);
  return NONE;
});

/** Calls `target(*args, **kwargs)`; bound (as self) to the tuple (target, args, kwargs). */
const BOOTSTRAP = registerNative('target', (a) => {
  const [target, args, kwargs] = tupleItems(a[0]);
  const kwm = new Map<string, Ref>();
  for (let p = H.dictNext(kwargs, -1); p >= 0; p = H.dictNext(kwargs, p)) {
    kwm.set(strOf(H.dictKeyAt(kwargs, p)), H.dictValueAt(kwargs, p));
  }
  return callValue(target, tupleItems(args), kwm);
});

// Thread: word = started (0/1), native = host thread id (-1 before start).
meth(threadType, 'start', (a) => {
  const self = a[0];
  const c = ctx();
  if (instanceWord(self) !== 0) throw pyErr(RuntimeError, 'threads can only be started once');
  setInstanceWord(self, 1);
  const target = attrOf(self, '_target');
  const argsT = attrOf(self, '_args');
  const kwargs = attrOf(self, '_kwargs');
  if (target === 0 || target === NONE) return NONE;
  let callTarget = target;
  let callArgs = tupleItems(argsT);
  if (isDict(kwargs) && H.dictLen(kwargs) > 0) {
    // bind kwargs by handing the runtime a builtin that makes the call; the thread object keeps it
    const bound = newTuple([target, argsT, kwargs]);
    callTarget = newBuiltin(BOOTSTRAP, bound);
    decref(bound);
    setAttrSteal(self, '_bootstrap', callTarget);
    callArgs = [];
  }
  pruneThreads(c);
  const starting = stateOf(c).starting;
  starting.push(self);
  let id: number;
  try {
    // `thread`: the Thread object (borrowed), so a runtime that shares the heap can make it the new
    // thread's current_thread() (workers' request, 11:26)
    const request: StartThreadRequest & { thread: Ref } = {
      target: callTarget as never,
      args: callArgs,
      name: str(attrOf(self, 'name') || NONE),
      interpreter: c.interpreter,
      thread: self,
    };
    id = c.host.startThread(request);
  } finally {
    starting.pop();
  }
  // an inline host may have registered it already (current_thread() inside the new thread)
  if (c.threads.get(id) !== self) registerStarted(c, self, id);
  return NONE;
});

/** Record that Thread object `self` runs as host thread `id`. */
function registerStarted(c: ModuleContext, self: Ref, id: number): void {
  setInstanceNative(self, id);
  setAttrSteal(self, 'ident', newInt(id));
  setAttrSteal(self, 'native_id', newInt(id));
  const prev = c.threads.get(id);
  incref(self);
  c.threads.set(id, self);
  xdecref(prev ?? 0);
}
meth(threadType, 'join', (a, kw) => {
  const self = a[0];
  const c = ctx();
  if (instanceWord(self) === 0) throw pyErr(RuntimeError, 'cannot join thread before it is started');
  const id = instanceNative(self);
  const th = currentThread();
  if (id === th.id) throw pyErr(RuntimeError, 'cannot join current thread');
  if (!c.host.isAlive(id)) return NONE;
  const timeout = timeoutArg(arg(a, kw, 1, 'timeout'));
  return hostBlock({ kind: 'join', threadId: id, timeout }, () => NONE);
});
meth(threadType, 'is_alive', (a) => {
  const self = a[0];
  const c = ctx();
  const started = instanceWord(self) !== 0;
  const id = instanceNative(self);
  if (id === c.mainThreadId && started) return TRUE;
  return pyBool(started && c.host.isAlive(id));
});
meth(threadType, 'getName', (a) => {
  const n = attrOf(a[0], 'name') || NONE;
  incref(n);
  return n;
});

function makeThreadObject(id: number, name: string, started: boolean): Ref {
  const t = newInstance(threadType, id);
  setInstanceWord(t, started ? 1 : 0);
  setAttrSteal(t, 'name', newStr(name));
  setAttrSteal(t, 'ident', started ? newInt(id) : NONE);
  setAttrSteal(t, 'native_id', started ? newInt(id) : NONE);
  setAttrOf(t, 'daemon', FALSE);
  return t;
}

/**
 * Forget the Thread objects of threads that ended (CPython drops them from `threading._active`
 * when they finish), so a program that starts threads in a loop does not keep every one alive.
 */
function pruneThreads(c: ModuleContext): void {
  // the running thread and threads inside start() are alive whatever an inline host says
  const cur = c.host.currentThreadId(currentThread());
  const starting = stateOf(c).starting;
  for (const [id, t] of c.threads) {
    if (id !== c.mainThreadId && id !== cur && !starting.includes(t) && !c.host.isAlive(id)) {
      c.threads.delete(id);
      decref(t);
    }
  }
}

/** The Thread object of host thread `id` in this interpreter (borrowed; created on first use). */
function threadObject(c: ModuleContext, id: number, name: () => string): Ref {
  let t = c.threads.get(id);
  if (t === undefined) {
    pruneThreads(c);
    const starting = stateOf(c).starting;
    const s = starting[starting.length - 1];
    if (s !== undefined && id !== c.mainThreadId && instanceNative(s) === -1) {
      // the thread being started runs inline: it is that Thread object
      registerStarted(c, s, id);
      return s;
    }
    t = makeThreadObject(id, name(), true);
    c.threads.set(id, t);
  }
  return t;
}

// ---- pool ----
meth(poolType, '__enter__', (a) => {
  incref(a[0]);
  return a[0];
});
meth(poolType, '__exit__', () => FALSE);
meth(poolType, 'close', () => NONE);
meth(poolType, 'join', () => NONE);
meth(poolType, 'terminate', () => NONE);

function mapImpl(self: Ref, f: Ref, iterable: Ref, star: boolean): Ref {
  const c = ctx();
  const items = toArray(iterable);
  try {
    const pool = c.host.pool;
    if (pool && kindOf(f) === K_FUNCTION) {
      const name = funcCode(f).name;
      if (H.dictGetStr(c.globals, name) === f) {
        const res = pool.map(
          c.source,
          name,
          items.map((x) => (star ? c.toJS(x) : [c.toJS(x)])),
          instanceNative(self),
        );
        return newListSteal(res.map((r) => c.fromJS(r)));
      }
    }
    // single-process fallback: run each task inline, as a pool of one worker would
    const out: Ref[] = [];
    try {
      for (const x of items) {
        if (star) {
          const xs = toArray(x);
          try {
            out.push(callValue(f, xs));
          } finally {
            decrefAll(xs);
          }
        } else out.push(callValue(f, [x]));
      }
    } catch (e) {
      decrefAll(out);
      throw e;
    }
    return newListSteal(out);
  } finally {
    decrefAll(items);
  }
}
meth(poolType, 'map', (a) => mapImpl(a[0], a[1], a[2], false));
meth(poolType, 'starmap', (a) => mapImpl(a[0], a[1], a[2], true));
meth(poolType, 'apply', (a) => {
  if (a.length <= 2) return callValue(a[1], []);
  const xs = toArray(a[2]);
  try {
    return callValue(a[1], xs);
  } finally {
    decrefAll(xs);
  }
});

// ---- hashlib ----

/** CPython releases the GIL while hashing more than 2047 bytes (HASHLIB_GIL_MINSIZE). */
const HASHLIB_GIL_MINSIZE = 2048;
/** `finish` returns a new ref. */
function hashBlocking(bytes: number, finish: () => Ref): Ref {
  if (bytes < HASHLIB_GIL_MINSIZE) return finish();
  // ~2 ns per byte is CPython's OpenSSL SHA-256 on a modern core
  return hostBlock({ kind: 'native', name: 'sha256', bytes, cost: bytes * 0.002 }, () => finish());
}
function hashInput(data: Ref): Uint8Array {
  if (!isBytes(data)) {
    throw pyErr(
      PyTypeError,
      isStr(data) ? 'Strings must be encoded before hashing' : 'object supporting the buffer API required',
    );
  }
  return bytesOf(data);
}
meth(shaType, 'update', (a) => {
  const sh = shaOf(a[0]);
  needArgs(a, 2, 'update');
  const data = hashInput(a[1]);
  sh.update(data);
  return hashBlocking(data.length, () => NONE);
});
meth(shaType, 'hexdigest', (a) => {
  const d = shaOf(a[0]).digest();
  return newStr(Array.from(d, (x) => x.toString(16).padStart(2, '0')).join(''));
});
meth(shaType, 'digest', (a) => newBytes(shaOf(a[0]).digest()));
meth(shaType, 'copy', (a) => newShaObject(shaOf(a[0]).copy()));

const sha256Fn: NativeFn = (a) => {
  if (a.length && a[0] !== NONE) {
    const data = hashInput(a[0]);
    const sh = new Sha256().update(data);
    return hashBlocking(data.length, () => newShaObject(sh));
  }
  return newShaObject(new Sha256());
};
function newShaObject(sh: Sha256): Ref {
  const h = new PyInstance(shaType, sh);
  h.setAttr('name', intern('sha256'));
  h.setAttr('digest_size', newInt(32));
  h.setAttr('block_size', newInt(64));
  return newHandle(h);
}

// ---- sys streams ----
// TextIOWrapper instances: native 1 = stdout, 2 = stderr.
meth(textIOType, 'write', (a) => {
  const s = a[1];
  if (a.length < 2 || !isStr(s)) {
    throw pyErr(PyTypeError, `write() argument must be str, not ${a.length < 2 ? 'NoneType' : typeName(s)}`);
  }
  const text = strOf(s);
  const c = ctx();
  if (instanceNative(a[0]) === 2) c.host.writeErr?.(text);
  else c.host.write(text);
  let n = 0; // code points, as CPython counts str length
  for (const _ of text) n++;
  return newInt(n);
});
meth(textIOType, 'flush', () => NONE);

// ---- module tables: name -> native id, registered at load ----

type Table = [string, number][];
function table(fns: Record<string, NativeFn>): Table {
  return Object.entries(fns).map(([name, f]) => [name, registerNative(name, f)]);
}

/** A module object (new ref) with builtins for `fns` and `values` (new refs, handed over). */
function buildModule(name: string, fns: Table, values: [string, Ref][] = []): Ref {
  const d = H.newDict();
  try {
    for (const [k, id] of fns) {
      const b = newBuiltin(id);
      H.dictSet(d, intern(k), b);
      decref(b);
    }
    for (const [k, v] of values) H.dictSet(d, intern(k), v);
    H.dictSet(d, intern('__name__'), intern(name));
    return newModule(name, d);
  } finally {
    decrefAll(values.map((v) => v[1]));
    decref(d);
  }
}

const TIME = table({
  sleep: (a) => {
    needArgs(a, 1, 'sleep');
    const s = toFloat(a[0]);
    if (s === undefined)
      throw pyErr(PyTypeError, `'${typeName(a[0])}' object cannot be interpreted as an integer`);
    if (s < 0) throw pyErr(ValueError, 'sleep length must be non-negative');
    return hostBlock({ kind: 'sleep', seconds: s }, () => NONE);
  },
  perf_counter: () => newFloat(ctx().host.monotonic()),
  monotonic: () => newFloat(ctx().host.monotonic()),
  process_time: () => newFloat(ctx().host.monotonic()),
  time: () => newFloat(ctx().host.wallTime()),
  perf_counter_ns: () => newInt(BigInt(Math.round(ctx().host.monotonic() * 1e9))),
  monotonic_ns: () => newInt(BigInt(Math.round(ctx().host.monotonic() * 1e9))),
  time_ns: () => newInt(BigInt(Math.round(ctx().host.wallTime() * 1e9))),
});

const GC = table({
  // the heap's cycle collector (CPython's algorithm); returns how many containers it freed
  collect: () => newInt(H.collect()),
  enable: () => {
    stateOf(ctx()).gcEnabled = true;
    return NONE;
  },
  disable: () => {
    stateOf(ctx()).gcEnabled = false;
    return NONE;
  },
  isenabled: () => pyBool(stateOf(ctx()).gcEnabled),
});

const HASHLIB = table({ sha256: sha256Fn });

const OS = table({
  cpu_count: () => newInt(cpuCount(ctx())),
  getpid: () => newInt(1),
});

const DIS = table({
  dis: (a) => {
    const f = a[0];
    if (kindOf(f) !== K_FUNCTION)
      throw pyErr(PyTypeError, `don't know how to disassemble ${typeName(f)} objects`);
    ctx().host.write(`${disassemble(funcCode(f))}\n`);
    return NONE;
  },
});

// ---- threading ----
const THREADING = table({
  current_thread: () => {
    const c = ctx();
    const th = currentThread();
    const id = c.host.currentThreadId(th);
    const t = threadObject(
      c,
      id,
      () => c.host.threadInfo(id)?.name ?? (id === c.mainThreadId ? 'MainThread' : th.name),
    );
    incref(t);
    return t;
  },
  main_thread: () => {
    const c = ctx();
    const t = threadObject(c, c.mainThreadId, () => 'MainThread');
    incref(t);
    return t;
  },
  get_ident: () => newInt(ctx().host.currentThreadId(currentThread())),
  get_native_id: () => newInt(ctx().host.currentThreadId(currentThread())),
  active_count: () => newInt(ctx().host.activeCount()),
  enumerate: () => {
    // the main thread and every Thread object whose thread is alive, in start order
    const c = ctx();
    pruneThreads(c);
    threadObject(c, c.mainThreadId, () => 'MainThread');
    const th = currentThread();
    const cur = c.host.currentThreadId(th);
    threadObject(c, cur, () => c.host.threadInfo(cur)?.name ?? th.name);
    const out: Ref[] = [];
    for (const [id, t] of c.threads) {
      if (id === c.mainThreadId || id === cur || c.host.isAlive(id)) out.push(t);
    }
    return newList(out);
  },
});

// ---- sys ----

/**
 * What `sys.getrefcount` shows for immortal objects. CPython 3.11 starts its statically allocated
 * objects (small ints, `()`, `''`, one-character strs) at 999999999 references, so they print
 * about 10**9; the argument's own reference makes it 1000000000.
 */
const IMMORTAL_REFCOUNT_SHOWN = 1_000_000_000;

const SYS = table({
  setswitchinterval: (a) => {
    needArgs(a, 1, 'setswitchinterval');
    const s = num(a[0]);
    if (!(s > 0)) throw pyErr(ValueError, 'switch interval must be strictly positive');
    ctx().host.setSwitchInterval(s);
    return NONE;
  },
  getswitchinterval: () => newFloat(ctx().host.getSwitchInterval()),
  getrefcount: (a) => {
    needArgs(a, 1, 'getrefcount');
    const r = a[0];
    if (H.isImmortal(r)) return newInt(IMMORTAL_REFCOUNT_SHOWN);
    // the caller's argument reference is part of the count, as in CPython
    return newInt(H.refcount(r) + GETREFCOUNT_ARG_EXTRA);
  },
  getrecursionlimit: () => newInt(ctx().getRecursionLimit()),
  intern: (a) => {
    needArgs(a, 1, 'intern');
    if (!isStr(a[0])) throw pyErr(PyTypeError, `intern() argument must be str, not ${typeName(a[0])}`);
    return intern(strOf(a[0])); // immortal: no incref needed
  },
  setrecursionlimit: (a) => {
    needArgs(a, 1, 'setrecursionlimit');
    const n = a[0];
    if (!isIntLike(n)) {
      throw pyErr(PyTypeError, `'${typeName(n)}' object cannot be interpreted as an integer`);
    }
    if (Number(intOf(n)) < 1) throw pyErr(ValueError, 'recursion limit must be greater or equal than 1');
    ctx().setRecursionLimit(Number(intOf(n)));
    return NONE;
  },
  _is_gil_enabled: () => pyBool(ctx().host.isGilEnabled()),
  get_int_max_str_digits: () => newInt(stateOf(ctx()).intMaxStrDigits),
  set_int_max_str_digits: (a, kw) => {
    const r = arg(a, kw, 0, 'maxdigits');
    if (r === 0) {
      throw pyErr(PyTypeError, "set_int_max_str_digits() missing required argument 'maxdigits' (pos 1)");
    }
    const n = Number(intArg(r));
    if (n !== 0 && n < 640) throw pyErr(ValueError, 'maxdigits must be 0 or larger than 640');
    stateOf(ctx()).intMaxStrDigits = n;
    return NONE;
  },
  exit: (a) => {
    // PyExc.args own their refs
    if (a.length) incref(a[0]);
    throw new PyExc(SystemExit, a.length ? [a[0]] : []);
  },
});

/**
 * How much to add to the heap refcount for `sys.getrefcount`: 0 when the eval loop holds a
 * reference to the argument during the call (its value stack), as CPython's does.
 */
const GETREFCOUNT_ARG_EXTRA = 0;

function sysModule(c: ModuleContext): Ref {
  const stdout = newInstance(textIOType, 1);
  setAttrSteal(stdout, 'name', newStr('<stdout>'));
  const stderr = newInstance(textIOType, 2);
  setAttrSteal(stderr, 'name', newStr('<stderr>'));
  const fname = newStr(c.filename);
  const argv = newList([fname]);
  decref(fname);
  const vi = [newInt(3), newInt(11), newInt(0), newStr('final'), newInt(0)];
  const versionInfo = newTuple(vi);
  decrefAll(vi);
  return buildModule('sys', SYS, [
    ['maxsize', newInt(2n ** 63n - 1n)],
    ['argv', argv],
    ['platform', newStr('minipy')],
    ['version', newStr('3.11.0 (MiniPy)')],
    ['version_info', versionInfo],
    ['stdout', stdout],
    ['stderr', stderr],
  ]);
}

// ---- random (one generator per interpreter) ----

/** random.py's normalvariate (Kinderman and Monahan): the same draws as CPython for a seed. */
function normalVariate(mt: MersenneTwister, mu: number, sigma: number): number {
  const NV_MAGICCONST = (4 * crExp(-0.5)) / Math.sqrt(2);
  let z: number;
  for (;;) {
    const u1 = mt.random();
    const u2 = 1 - mt.random();
    z = (NV_MAGICCONST * (u1 - 0.5)) / u2;
    if ((z * z) / 4 <= -crLog(u2)) break;
  }
  return mu + z * sigma;
}

function rng(): MersenneTwister {
  const s = stateOf(ctx());
  if (s.mt === null) s.mt = new MersenneTwister(BigInt(Date.now()));
  return s.mt;
}

/** CPython 3.11's `_index` with its float fallback: integral floats pass (deprecated there). */
function rangeArg(r: Ref, what: string): bigint {
  if (isIntLike(r)) return bigOf(r);
  const f = toFloat(r);
  if (f === undefined) {
    throw pyErr(
      PyTypeError,
      `int() argument must be a string, a bytes-like object or a real number, not '${typeName(r)}'`,
    );
  }
  if (!Number.isInteger(f)) throw pyErr(ValueError, `non-integer ${what} for randrange()`);
  return BigInt(f);
}

function randrange(a: Ref[], kw: Kw = null): Ref {
  const mt = rng();
  const startR = arg(a, kw, 0, 'start');
  const stopR = arg(a, kw, 1, 'stop');
  const stepR = arg(a, kw, 2, 'step');
  if (a.length > 3)
    throw pyErr(
      PyTypeError,
      `Random.randrange() takes from 2 to 4 positional arguments but ${a.length + 1} were given`,
    );
  if (startR === 0)
    throw pyErr(PyTypeError, "Random.randrange() missing 1 required positional argument: 'start'");
  const start = rangeArg(startR, 'arg 1');
  if (stopR === 0 || stopR === NONE) {
    if (stepR !== 0) throw pyErr(PyTypeError, 'Missing a non-None stop argument');
    if (start > 0n) return newInt(mt.randbelow(start));
    throw pyErr(ValueError, 'empty range for randrange()');
  }
  const stop = rangeArg(stopR, 'stop');
  const width = stop - start;
  const step = stepR === 0 ? 1n : rangeArg(stepR, 'step');
  if (step === 1n) {
    if (width > 0n) return newInt(start + mt.randbelow(width));
    throw pyErr(ValueError, `empty range for randrange() (${start}, ${stop}, ${width})`);
  }
  let n: bigint;
  if (step > 0n) n = floorDiv(width + step - 1n, step);
  else if (step < 0n) n = floorDiv(width + step + 1n, step);
  else throw pyErr(ValueError, 'zero step for randrange()');
  if (n <= 0n) throw pyErr(ValueError, 'empty range for randrange()');
  return newInt(start + step * mt.randbelow(n));
}
function floorDiv(x: bigint, y: bigint): bigint {
  const q = x / y;
  return x % y !== 0n && x < 0n !== y < 0n ? q - 1n : q;
}

/** A required argument of a Python-level `random` method, by position or keyword (borrowed). */
function req(a: Ref[], kw: Kw, i: number, name: string, fname: string): Ref {
  const r = arg(a, kw, i, name);
  if (r === 0)
    throw pyErr(PyTypeError, `Random.${fname}() missing 1 required positional argument: '${name}'`);
  return r;
}

const RANDOM = table({
  seed: (a, kw) => {
    const mt = rng();
    stateOf(ctx()).gaussNext = null;
    const s = arg(a, kw, 0, 'a') || NONE;
    if (s === NONE) mt.seed(BigInt(Date.now()));
    else if (isIntLike(s)) mt.seed(bigOf(s));
    // CPython seeds other hashables with (size_t)hash(x)
    else if (isFloat(s)) mt.seed(BigInt.asUintN(64, BigInt(pyHash(s))));
    else if (isStr(s) || isBytes(s)) {
      // version 2: int.from_bytes(a + sha512(a).digest()), big-endian
      const b = isStr(s) ? new TextEncoder().encode(strOf(s)) : bytesOf(s);
      const all = new Uint8Array(b.length + 64);
      all.set(b);
      all.set(sha512(b), b.length);
      let n = 0n;
      for (const x of all) n = (n << 8n) | BigInt(x);
      mt.seed(n);
    } else {
      throw pyErr(
        PyTypeError,
        'The only supported seed types are: None,\nint, float, str, bytes, and bytearray.',
      );
    }
    return NONE;
  },
  random: () => newFloat(rng().random()),
  uniform: (a, kw) => {
    const x = num(req(a, kw, 0, 'a', 'uniform'));
    const y = num(req(a, kw, 1, 'b', 'uniform'));
    return newFloat(x + (y - x) * rng().random());
  },
  randint: (a) => {
    if (a.length !== 2)
      throw pyErr(PyTypeError, `randint() takes 2 positional arguments but ${a.length} were given`);
    const hi = newInt(rangeArg(a[1], 'stop') + 1n);
    try {
      return randrange([a[0], hi]);
    } finally {
      decref(hi);
    }
  },
  randrange: (a, kw) => randrange(a, kw),
  choice: (a, kw) => {
    const items = toArray(req(a, kw, 0, 'seq', 'choice'));
    try {
      if (items.length === 0) throw pyErr(IndexError, 'Cannot choose from an empty sequence');
      const r = items[Number(rng().randbelow(BigInt(items.length)))];
      incref(r);
      return r;
    } finally {
      decrefAll(items);
    }
  },
  shuffle: (a, kw) => {
    const l = req(a, kw, 0, 'x', 'shuffle');
    if (!isList(l)) throw pyErr(PyTypeError, "'shuffle' requires a list in MiniPy");
    const mt = rng();
    lockRef(l);
    try {
      shuffleLocked(l, mt);
    } finally {
      unlockRef(l);
    }
    return NONE;
  },
  sample: (a, kw) => {
    const popR = req(a, kw, 0, 'population', 'sample');
    const kR = req(a, kw, 1, 'k', 'sample');
    const mt = rng();
    const pop = toArray(popR);
    try {
      const k = Number(intArg(kR));
      const n = pop.length;
      if (k < 0 || k > n) throw pyErr(ValueError, 'Sample larger than population or is negative');
      // CPython's pool-based selection for small populations, set-based otherwise
      const result: Ref[] = [];
      let setsize = 21;
      if (k > 5) setsize += 4 ** Math.ceil(crLog(k * 3) / crLog(4));
      if (n <= setsize) {
        const pool = pop.slice();
        for (let i = 0; i < k; i++) {
          const j = Number(mt.randbelow(BigInt(n - i)));
          result.push(pool[j]);
          pool[j] = pool[n - i - 1];
        }
      } else {
        const selected = new Set<number>();
        for (let i = 0; i < k; i++) {
          let j = Number(mt.randbelow(BigInt(n)));
          while (selected.has(j)) j = Number(mt.randbelow(BigInt(n)));
          selected.add(j);
          result.push(pop[j]);
        }
      }
      return newList(result);
    } finally {
      decrefAll(pop);
    }
  },
  getrandbits: (a) => {
    needArgs(a, 1, 'getrandbits');
    const k = Number(intArg(a[0]));
    if (k < 0) throw pyErr(ValueError, 'number of bits must be non-negative');
    return newInt(rng().getrandbits(k));
  },
  // The distributions below follow CPython 3.11's random.py line by line, so seeded runs agree.
  choices: (a, kw) => {
    const popR = req(a, kw, 0, 'population', 'choices');
    const weightsR = arg(a, kw, 1, 'weights') || NONE;
    const cumR = kwGet(kw, 'cum_weights') || NONE;
    const kR = kwGet(kw, 'k');
    if (a.length > 2) {
      throw pyErr(
        PyTypeError,
        `Random.choices() takes from 2 to 3 positional arguments but ${a.length + 1} were given`,
      );
    }
    const k = kR === 0 ? 1 : Number(intArg(kR));
    const mt = rng();
    const pop = toArray(popR);
    try {
      const n = pop.length;
      const out: Ref[] = [];
      if (cumR === NONE && weightsR === NONE) {
        for (let i = 0; i < k; i++) out.push(pop[Math.floor(mt.random() * n)]);
        return newList(out);
      }
      if (cumR !== NONE && weightsR !== NONE) {
        throw pyErr(PyTypeError, 'Cannot specify both weights and cumulative weights');
      }
      if (weightsR !== NONE && isIntLike(weightsR)) {
        throw pyErr(PyTypeError, `The number of choices must be a keyword argument: k=${intOf(weightsR)}`);
      }
      let cum: number[];
      const ws = toArray(cumR !== NONE ? cumR : weightsR);
      try {
        const vals = ws.map((w) => num(w));
        if (cumR !== NONE) cum = vals;
        else {
          let acc = 0;
          cum = vals.map((w) => {
            acc += w;
            return acc;
          });
        }
      } finally {
        decrefAll(ws);
      }
      if (cum.length !== n) throw pyErr(ValueError, 'The number of weights does not match the population');
      const total = cum[n - 1] ?? 0;
      if (total <= 0) throw pyErr(ValueError, 'Total of weights must be greater than zero');
      if (!Number.isFinite(total)) throw pyErr(ValueError, 'Total of weights must be finite');
      for (let i = 0; i < k; i++) out.push(pop[bisectRight(cum, mt.random() * total, n - 1)]);
      return newList(out);
    } finally {
      decrefAll(pop);
    }
  },
  gauss: (a, kw) => {
    const mu = optNum(arg(a, kw, 0, 'mu'), 0);
    const sigma = optNum(arg(a, kw, 1, 'sigma'), 1);
    const s = stateOf(ctx());
    const mt = rng();
    let z = s.gaussNext;
    s.gaussNext = null;
    if (z === null) {
      const x2pi = mt.random() * 2 * Math.PI;
      const g2rad = Math.sqrt(-2 * crLog(1 - mt.random()));
      z = crCos(x2pi) * g2rad;
      s.gaussNext = crSin(x2pi) * g2rad;
    }
    return newFloat(mu + z * sigma);
  },
  normalvariate: (a, kw) => {
    const mu = optNum(arg(a, kw, 0, 'mu'), 0);
    const sigma = optNum(arg(a, kw, 1, 'sigma'), 1);
    return newFloat(normalVariate(rng(), mu, sigma));
  },
  expovariate: (a, kw) => {
    const lambd = num(req(a, kw, 0, 'lambd', 'expovariate'));
    const u = rng().random();
    if (lambd === 0) throw pyErr(ZeroDivisionError, 'float division by zero');
    return newFloat(-crLog(1 - u) / lambd);
  },
  lognormvariate: (a, kw) => {
    const mu = num(req(a, kw, 0, 'mu', 'lognormvariate'));
    const sigma = num(req(a, kw, 1, 'sigma', 'lognormvariate'));
    // CPython: exp(normalvariate(mu, sigma))
    return newFloat(crExp(normalVariate(rng(), mu, sigma)));
  },
  vonmisesvariate: (a, kw) => {
    const mu = num(req(a, kw, 0, 'mu', 'vonmisesvariate'));
    const kappa = num(req(a, kw, 1, 'kappa', 'vonmisesvariate'));
    const mt = rng();
    const TWOPI = 2 * Math.PI;
    if (kappa <= 1e-6) return newFloat(TWOPI * mt.random());
    const s = 0.5 / kappa;
    const r = s + Math.sqrt(1 + s * s);
    let z: number;
    for (;;) {
      const u1 = mt.random();
      z = crCos(Math.PI * u1);
      const d = z / (r + z);
      const u2 = mt.random();
      if (u2 < 1 - d * d || u2 <= (1 - d) * crExp(d)) break;
    }
    const q = 1 / r;
    const f = (q + z) / (1 + q * z);
    const u3 = mt.random();
    return newFloat(u3 > 0.5 ? floatMod(mu + crAcos(f), TWOPI) : floatMod(mu - crAcos(f), TWOPI));
  },
  gammavariate: (a, kw) => {
    const alpha = num(req(a, kw, 0, 'alpha', 'gammavariate'));
    const beta = num(req(a, kw, 1, 'beta', 'gammavariate'));
    return newFloat(gammaVariate(rng(), alpha, beta));
  },
  betavariate: (a, kw) => {
    const alpha = num(req(a, kw, 0, 'alpha', 'betavariate'));
    const beta = num(req(a, kw, 1, 'beta', 'betavariate'));
    const mt = rng();
    const y = gammaVariate(mt, alpha, 1);
    return newFloat(y !== 0 ? y / (y + gammaVariate(mt, beta, 1)) : 0);
  },
  paretovariate: (a, kw) => {
    const alpha = num(req(a, kw, 0, 'alpha', 'paretovariate'));
    const u = 1 - rng().random();
    return newFloat(cPow(u, -1 / alpha));
  },
  weibullvariate: (a, kw) => {
    const alpha = num(req(a, kw, 0, 'alpha', 'weibullvariate'));
    const beta = num(req(a, kw, 1, 'beta', 'weibullvariate'));
    const u = 1 - rng().random();
    return newFloat(alpha * cPow(-crLog(u), 1 / beta));
  },
  getstate: () => {
    const words = rng()
      .getState()
      .map((w) => newInt(w));
    const inner = newTuple(words);
    decrefAll(words);
    const g = stateOf(ctx()).gaussNext;
    const parts = [newInt(3), inner, g === null ? NONE : newFloat(g)];
    const t = newTuple(parts);
    decrefAll(parts);
    return t;
  },
  setstate: (a, kw) => {
    const st = req(a, kw, 0, 'state', 'setstate');
    if (!isTuple(st) || tupleItems(st).length !== 3) {
      throw pyErr(PyTypeError, 'state must be a tuple of (version, internalstate, gauss_next)');
    }
    const [ver, inner, g] = tupleItems(st);
    const version = isIntLike(ver) ? Number(bigOf(ver)) : Number.NaN;
    if (version !== 3 && version !== 2) {
      throw pyErr(ValueError, `state with version ${str(ver)} passed to Random.setstate() of version 3`);
    }
    if (!isTuple(inner)) throw pyErr(PyTypeError, 'state vector must be a tuple');
    const items = tupleItems(inner);
    if (items.length !== 625) throw pyErr(ValueError, 'state vector is the wrong size');
    const words = items.map((w) => {
      if (!isIntLike(w))
        throw pyErr(PyTypeError, `'${typeName(w)}' object cannot be interpreted as an integer`);
      const v = bigOf(w);
      if (v < 0n || v > 0xffffffffn)
        throw pyErr(OverflowError, 'Python int too large to convert to C unsigned long');
      return Number(v);
    });
    if (words[624] < 0 || words[624] > 624) throw pyErr(ValueError, 'invalid state');
    rng().setState(words);
    stateOf(ctx()).gaussNext = g === NONE ? null : num(g);
    return NONE;
  },
  randbytes: (a, kw) => {
    const n = Number(intArg(req(a, kw, 0, 'n', 'randbytes')));
    if (n < 0) throw pyErr(ValueError, 'number of bits must be non-negative');
    let v = n === 0 ? 0n : rng().getrandbits(n * 8);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return newBytes(out);
  },
  triangular: (a, kw) => {
    let low = optNum(arg(a, kw, 0, 'low'), 0);
    let high = optNum(arg(a, kw, 1, 'high'), 1);
    const modeR = arg(a, kw, 2, 'mode') || NONE;
    let u = rng().random();
    if (high === low) return newFloat(low);
    let c = modeR === NONE ? 0.5 : (num(modeR) - low) / (high - low);
    if (u > c) {
      u = 1 - u;
      c = 1 - c;
      [low, high] = [high, low];
    }
    return newFloat(low + (high - low) * Math.sqrt(u * c));
  },
});

/** CPython's float `%` (the result takes the divisor's sign). */
function floatMod(x: number, y: number): number {
  let m = x % y;
  if (m !== 0) {
    if (y < 0 !== m < 0) m += y;
  } else m = y < 0 ? -0 : 0;
  return m;
}

/** random.py's gammavariate (three algorithms by alpha), drawing from `mt`. */
function gammaVariate(mt: MersenneTwister, alpha: number, beta: number): number {
  if (alpha <= 0 || beta <= 0) throw pyErr(ValueError, 'gammavariate: alpha and beta must be > 0.0');
  if (alpha > 1) {
    const ainv = Math.sqrt(2 * alpha - 1);
    const bbb = alpha - crLog(4);
    const ccc = alpha + ainv;
    const SG_MAGICCONST = 1 + crLog(4.5);
    for (;;) {
      const u1 = mt.random();
      if (!(1e-7 < u1 && u1 < 0.9999999)) continue;
      const u2 = 1 - mt.random();
      const v = crLog(u1 / (1 - u1)) / ainv;
      const x = alpha * crExp(v);
      const z = u1 * u1 * u2;
      const r = bbb + ccc * v - x;
      if (r + SG_MAGICCONST - 4.5 * z >= 0 || r >= crLog(z)) return x * beta;
    }
  }
  if (alpha === 1) return -crLog(1 - mt.random()) * beta;
  let x: number;
  for (;;) {
    const u = mt.random();
    const b = (Math.E + alpha) / Math.E;
    const p = b * u;
    x = p <= 1 ? cPow(p, 1 / alpha) : -crLog((b - p) / alpha);
    const u1 = mt.random();
    if (p > 1) {
      if (u1 <= cPow(x, alpha - 1)) break;
    } else if (u1 <= crExp(-x)) break;
  }
  return x * beta;
}

/** random.shuffle's swaps (CPython's order), inside the list's critical section. */
function shuffleLocked(l: Ref, mt: MersenneTwister): void {
  for (let i = H.listLen(l) - 1; i > 0; i--) {
    const j = Number(mt.randbelow(BigInt(i + 1)));
    if (i === j) continue;
    const x = H.listGet(l, i);
    const y = H.listGet(l, j);
    // both stay referenced through the swap, so neither is freed in between
    incref(x);
    incref(y);
    H.listSet(l, i, y);
    H.listSet(l, j, x);
    decref(x);
    decref(y);
  }
}

/** A float argument with a default when absent. */
function optNum(r: Ref, def: number): number {
  return r === 0 ? def : num(r);
}

/** bisect.bisect_right(a, x, 0, hi). */
function bisectRight(a: number[], x: number, hi: number): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---- math ----

/**
 * A one-argument math function with CPython's math_1 error rules: NaN from a non-NaN argument is a
 * domain error; an infinite result from a finite argument is a range error (OverflowError) for
 * functions that can overflow, a domain error for the others (atanh(1)).
 */
function f1(name: string, g: (x: number) => number, canOverflow = false): NativeFn {
  return (a) => {
    needArgs(a, 1, name);
    const x = num(a[0]);
    const r = g(x);
    if (Number.isNaN(r) && !Number.isNaN(x)) throw pyErr(ValueError, 'math domain error');
    if (!Number.isFinite(r) && !Number.isNaN(r) && Number.isFinite(x)) {
      if (canOverflow) throw pyErr(OverflowError, 'math range error');
      throw pyErr(ValueError, 'math domain error');
    }
    return newFloat(r);
  };
}

/** C's frexp: x = m * 2**e with 0.5 <= |m| < 1 (m = x, e = 0 for 0, inf, nan). */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let m = x;
  let e = 0;
  // bring subnormals into the normal range first, so 2 ** -k below stays finite
  if (Math.abs(m) < 2 ** -1000) {
    m *= 2 ** 64;
    e = -64;
  }
  const k = Math.floor(Math.log2(Math.abs(m))) + 1;
  m *= 2 ** -k;
  e += k;
  // log2 may be off by one near powers of two
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

/** C's ldexp: x * 2**e, scaled in steps so no intermediate power of two overflows early. */
function ldexp(x: number, e: number): number {
  let r = x;
  for (let k = e; k !== 0 && r !== 0 && Number.isFinite(r); ) {
    const step = Math.max(-1000, Math.min(1000, k));
    r *= 2 ** step;
    k -= step;
  }
  return r;
}

const CBRT2 = 1.2599210498948732;
const SQR_CBRT2 = 1.5874010519681996;
const CBRT_FACTOR = [1 / SQR_CBRT2, 1 / CBRT2, 1, CBRT2, SQR_CBRT2];
/**
 * glibc's cbrt (sysdeps/ieee754/dbl-64/s_cbrt.c; its constants written as their shortest doubles), which CPython's math.cbrt calls on Linux: V8's
 * Math.cbrt rounds differently in the last digit (checked against python3 on 412 values).
 */
function cbrt(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x + x;
  const [xm, xe] = frexp(Math.abs(x));
  const u =
    0.35489576504391984 +
    (1.508191937815849 +
      (-2.114994941673713 +
        (2.4469312256353444 +
          (-1.8346927748361308 + (0.7849323449766392 - 0.14526389938548637 * xm) * xm) * xm) *
          xm) *
        xm) *
      xm;
  const t2 = u * u * u;
  const ym = ((u * (t2 + 2 * xm)) / (2 * t2 + xm)) * CBRT_FACTOR[2 + (xe % 3)];
  return ldexp(x > 0 ? ym : -ym, Math.trunc(xe / 3));
}

/** math.pow: C99 pow special cases (1 ** nan == 1, (-1) ** inf == 1) and CPython's errors. */
function mathPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    if (x === -1 && !Number.isNaN(y)) return 1; // (-1) ** +-inf
    return x ** y;
  }
  const r = cPow(x, y);
  if (Number.isNaN(r)) throw pyErr(ValueError, 'math domain error');
  if (!Number.isFinite(r)) {
    if (x === 0) throw pyErr(ValueError, 'math domain error');
    throw pyErr(OverflowError, 'math range error');
  }
  return r;
}
/** Natural log of an int (any size) or float; ValueError outside the domain. */
function logOf(r: Ref): number {
  if (isIntLike(r)) {
    const n = bigOf(r);
    if (n <= 0n) throw pyErr(ValueError, 'math domain error');
    const f = Number(n);
    if (Number.isFinite(f)) return crLog(f);
    // CPython: too big for a double -> frexp(n) = x * 2**e with x in [0.5, 1), log(x) + log(2) * e
    const e = n.toString(2).length;
    const s = BigInt(e - 64);
    const top = (n >> s) | ((n & ((1n << s) - 1n)) !== 0n ? 1n : 0n); // sticky bit: round once
    return crLog(Number(top) / 2 ** 64) + Math.LN2 * e;
  }
  const x = num(r);
  if (x <= 0) throw pyErr(ValueError, 'math domain error');
  return crLog(x);
}
function floatToInt(x: number): Ref {
  if (Number.isNaN(x)) throw pyErr(ValueError, 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw pyErr(OverflowError, 'cannot convert float infinity to integer');
  return newInt(Number.isSafeInteger(x) ? x : BigInt(x));
}
/** floor/ceil/trunc: ints pass through, floats round. */
function rounding(name: string, g: (x: number) => number): NativeFn {
  return (a) => {
    needArgs(a, 1, name);
    if (isIntLike(a[0])) return newInt(intOf(a[0]));
    return floatToInt(g(num(a[0])));
  };
}
function gcd2(x: bigint, y: bigint): bigint {
  let p = x < 0n ? -x : x;
  let q = y < 0n ? -y : y;
  while (q) [p, q] = [q, p % q];
  return p;
}
const MUL = 5; // BINARY_OP argument of '*'

const MATH = table({
  sqrt: f1('sqrt', Math.sqrt),
  exp: f1('exp', crExp, true),
  exp2: f1('exp2', (x) => cPow(2, x), true),
  expm1: f1('expm1', Math.expm1, true),
  log1p: f1('log1p', (x) => (x <= -1 ? Number.NaN : Math.log1p(x))),
  cbrt: f1('cbrt', cbrt),
  sinh: f1('sinh', sinhLibc, true),
  cosh: f1('cosh', coshLibc, true),
  tanh: f1('tanh', Math.tanh),
  asinh: f1('asinh', asinhLibc),
  acosh: f1('acosh', acoshLibc),
  atanh: f1('atanh', Math.atanh),
  sin: f1('sin', crSin),
  cos: f1('cos', crCos),
  tan: f1('tan', crTan),
  asin: f1('asin', crAsin),
  acos: f1('acos', crAcos),
  atan: f1('atan', crAtan),
  fabs: f1('fabs', Math.abs),
  log2: f1('log2', (x) => (x <= 0 ? Number.NaN : crLog2(x))),
  log10: f1('log10', (x) => (x <= 0 ? Number.NaN : log10Libc(x))),
  degrees: f1('degrees', (x) => (x * 180) / Math.PI),
  radians: f1('radians', (x) => (x * Math.PI) / 180),
  log: (a) => {
    needArgs(a, 1, 'log');
    const lx = logOf(a[0]);
    if (a.length > 1) return newFloat(lx / logOf(a[1]));
    return newFloat(lx);
  },
  copysign: (a) => {
    needArgs(a, 2, 'copysign');
    const x = Math.abs(num(a[0]));
    const y = num(a[1]);
    return newFloat(y < 0 || Object.is(y, -0) ? -x : x);
  },
  fmod: (a) => {
    needArgs(a, 2, 'fmod');
    const x = num(a[0]);
    const y = num(a[1]);
    if (Number.isNaN(x) || Number.isNaN(y)) return newFloat(Number.NaN);
    if (y === 0 || !Number.isFinite(x)) throw pyErr(ValueError, 'math domain error');
    return newFloat(x % y);
  },
  ldexp: (a) => {
    needArgs(a, 2, 'ldexp');
    const x = num(a[0]);
    if (!isIntLike(a[1])) throw pyErr(PyTypeError, 'Expected an int as second argument to ldexp.');
    const r = ldexp(x, Number(bigOf(a[1])));
    if (!Number.isFinite(r) && Number.isFinite(x)) throw pyErr(OverflowError, 'math range error');
    return newFloat(r);
  },
  frexp: (a) => {
    needArgs(a, 1, 'frexp');
    const [m, ex] = frexp(num(a[0]));
    const parts = [newFloat(m), newInt(ex)];
    const t = newTuple(parts);
    decrefAll(parts);
    return t;
  },
  lcm: (a) => {
    let l = 1n;
    for (const x of a) {
      const v = intArg(x);
      if (v === 0n || l === 0n) l = 0n;
      else {
        const p = (l * v) / gcd2(l, v);
        l = p < 0n ? -p : p;
      }
    }
    return newInt(l);
  },
  dist: (a) => {
    needArgs(a, 2, 'dist');
    const p = toArray(a[0]);
    const q = toArray(a[1]);
    try {
      if (p.length !== q.length)
        throw pyErr(ValueError, 'both points must have the same number of dimensions');
      return newFloat(crHypot(p.map((x, i) => num(x) - num(q[i]))));
    } finally {
      decrefAll(p);
      decrefAll(q);
    }
  },
  modf: (a) => {
    needArgs(a, 1, 'modf');
    const x = num(a[0]);
    const i = Math.trunc(x);
    const parts = [newFloat(x - i), newFloat(i)];
    const t = newTuple(parts);
    decrefAll(parts);
    return t;
  },
  atan2: (a) => {
    needArgs(a, 2, 'atan2');
    return newFloat(crAtan2(num(a[0]), num(a[1])));
  },
  hypot: (a) => newFloat(crHypot(a.map((x) => num(x)))),
  pow: (a) => {
    needArgs(a, 2, 'pow');
    return newFloat(mathPow(num(a[0]), num(a[1])));
  },
  floor: rounding('floor', Math.floor),
  ceil: rounding('ceil', Math.ceil),
  trunc: rounding('trunc', Math.trunc),
  isnan: (a) => pyBool(Number.isNaN(num(a[0]))),
  isinf: (a) => pyBool(Math.abs(num(a[0])) === Number.POSITIVE_INFINITY),
  isfinite: (a) => pyBool(Number.isFinite(num(a[0]))),
  isclose: (a, kw) => {
    needArgs(a, 2, 'isclose');
    const x = num(a[0]);
    const y = num(a[1]);
    const relR = kwGet(kw, 'rel_tol');
    const absR = kwGet(kw, 'abs_tol');
    const rel = relR !== 0 ? num(relR) : 1e-9;
    const abs = absR !== 0 ? num(absR) : 0;
    return pyBool(x === y || Math.abs(x - y) <= Math.max(rel * Math.max(Math.abs(x), Math.abs(y)), abs));
  },
  gcd: (a) => newInt(a.reduce<bigint>((g, x) => gcd2(g, intArg(x)), 0n)),
  factorial: (a) => {
    needArgs(a, 1, 'factorial');
    if (!isIntLike(a[0]))
      throw pyErr(PyTypeError, `'${typeName(a[0])}' object cannot be interpreted as an integer`);
    const n = bigOf(a[0]);
    if (n < 0n) throw pyErr(ValueError, 'factorial() not defined for negative values');
    let r = 1n;
    for (let i = 2n; i <= n; i++) r *= i;
    return newInt(r);
  },
  isqrt: (a) => {
    needArgs(a, 1, 'isqrt');
    const n = intArg(a[0]);
    if (n < 0n) throw pyErr(ValueError, 'isqrt() argument must be nonnegative');
    if (n < 2n) return newInt(n);
    let x = BigInt(Math.floor(Math.sqrt(Number(n))));
    while (x * x > n) x--;
    while ((x + 1n) * (x + 1n) <= n) x++;
    return newInt(x);
  },
  comb: (a) => {
    needArgs(a, 2, 'comb');
    const n = intArg(a[0]);
    let k = intArg(a[1]);
    if (n < 0n) throw pyErr(ValueError, 'n must be a non-negative integer');
    if (k < 0n) throw pyErr(ValueError, 'k must be a non-negative integer');
    if (k > n) return newInt(0);
    if (k > n - k) k = n - k;
    let r = 1n;
    for (let i = 0n; i < k; i++) r = (r * (n - i)) / (i + 1n);
    return newInt(r);
  },
  perm: (a) => {
    needArgs(a, 1, 'perm');
    const n = intArg(a[0]);
    const k = a.length > 1 && a[1] !== NONE ? intArg(a[1]) : n;
    if (n < 0n) throw pyErr(ValueError, 'n must be a non-negative integer');
    if (k < 0n) throw pyErr(ValueError, 'k must be a non-negative integer');
    if (k > n) return newInt(0);
    let r = 1n;
    for (let i = 0n; i < k; i++) r *= n - i;
    return newInt(r);
  },
  prod: (a) => {
    needArgs(a, 1, 'prod');
    const items = toArray(a[0]);
    let r: Ref = newInt(1);
    try {
      for (const x of items) {
        const next = binaryOp(MUL, r, x);
        decref(r);
        r = next;
      }
      const out = r;
      r = 0;
      return out;
    } finally {
      xdecref(r);
      decrefAll(items);
    }
  },
  fsum: (a) => {
    needArgs(a, 1, 'fsum');
    const items = toArray(a[0]);
    try {
      return newFloat(fsum(items.map((x) => num(x))));
    } finally {
      decrefAll(items);
    }
  },
});

/** CPython's math.fsum: Shewchuk's exact partial sums, rounded once at the end. */
function fsum(xs: number[]): number {
  const partials: number[] = [];
  let special = 0;
  let infSum = 0;
  for (const xsave of xs) {
    let x = xsave;
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
    if (x !== 0 && !Number.isFinite(x)) {
      // a non-finite partial: overflow of finite inputs, or an inf/nan input
      if (Number.isFinite(xsave)) throw pyErr(OverflowError, 'intermediate overflow in fsum');
      if (!Number.isNaN(xsave)) infSum += xsave;
      special += xsave;
      partials.length = 0;
    }
  }
  if (special !== 0) {
    if (Number.isNaN(infSum)) throw pyErr(ValueError, '-inf + inf in fsum');
    return special;
  }
  let n = partials.length;
  let hi = 0;
  if (n > 0) {
    let lo = 0;
    hi = partials[--n];
    while (n > 0) {
      const x = hi;
      const y = partials[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // round half-even across the remaining partials
    if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
  }
  return hi;
}

function mathModule(): Ref {
  return buildModule('math', MATH, [
    ['pi', newFloat(Math.PI)],
    ['e', newFloat(Math.E)],
    ['tau', newFloat(2 * Math.PI)],
    ['inf', newFloat(Number.POSITIVE_INFINITY)],
    ['nan', newFloat(Number.NaN)],
  ]);
}

// ---- multiprocessing ----
const MULTIPROCESSING = table({
  cpu_count: () => newInt(cpuCount(ctx())),
  current_process: () => {
    const o = newInstance(processType, 0);
    setAttrSteal(o, 'name', newStr('MainProcess'));
    return o;
  },
});

function cpuCount(c: ModuleContext): number {
  if (c.host.pool) return c.host.pool.cpuCount();
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/**
 * Whether automatic cycle collection is enabled for this interpreter (`gc.disable()` turns it off;
 * `gc.collect()` still collects). For an eval loop that collects on a threshold.
 */
export function gcEnabled(c: ModuleContext): boolean {
  return modStates.get(c)?.gcEnabled ?? true;
}

/** Build a module by name (a new ref), or undefined if MiniPy does not have it. */
export function createModule(name: string, c: ModuleContext): Ref | undefined {
  switch (name) {
    case 'threading':
      return buildModule('threading', THREADING, [
        ['Thread', typeRef(threadType)],
        ['Lock', typeRef(lockType)],
        ['RLock', typeRef(rlockType)],
        ['Event', typeRef(eventType)],
        ['Condition', typeRef(conditionType)],
        ['Semaphore', typeRef(semaphoreType)],
      ]);
    case 'time':
      return buildModule('time', TIME);
    case 'sys':
      return sysModule(c);
    case 'gc':
      return buildModule('gc', GC);
    case 'hashlib':
      return buildModule('hashlib', HASHLIB);
    case 'random':
      return buildModule('random', RANDOM);
    case 'math':
      return mathModule();
    case 'multiprocessing':
      return buildModule('multiprocessing', MULTIPROCESSING, [['Pool', typeRef(poolType)]]);
    case 'dis':
      return buildModule('dis', DIS);
    case 'os':
      return buildModule('os', OS);
  }
  return undefined;
}
