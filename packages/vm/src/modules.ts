/**
 * The supported standard modules. Anything about threads, time, locks or processes goes through
 * the {@link Host}, so the simulator and the worker runtime each supply their own behaviour.
 */

import { dis as disassemble } from './dis.js';
import { callValue, currentThread, hostBlock, PyFunction } from './eval.js';
import { str } from './format.js';
import type { Host } from './host.js';
import {
  EXCEPTION_TYPES,
  isInt,
  iterate,
  type Kw,
  mkFloat,
  type NativeFn,
  normBig,
  objectType,
  PyBuiltin,
  PyBytes,
  PyCell,
  PyDict,
  PyExc,
  PyFloat,
  PyInstance,
  PyList,
  PyModule,
  PySet,
  PyTuple,
  PyType,
  PyTypeError,
  pyErr,
  RuntimeError,
  toArray,
  toBigInt,
  toFloat,
  truthy,
  typeName,
  type V,
  ValueError,
} from './objects.js';
import { intBinary } from './ops.js';
import { MersenneTwister } from './random.js';
import { sha256 } from './sha256.js';

/** What module factories need from the interpreter. */
export interface ModuleContext {
  host: Host;
  /** The interpreter object handed to `host.startThread` (has `threadFor`). */
  interpreter: unknown;
  source: string;
  filename: string;
  globals: Map<string, V>;
  getRecursionLimit(): number;
  setRecursionLimit(n: number): void;
  toJS(v: V): unknown;
  fromJS(v: unknown): V;
  /** Thread objects by id (for current_thread()). */
  threads: Map<number, PyInstance>;
  mainThreadId: number;
}

function fn(name: string, f: NativeFn): PyBuiltin {
  return new PyBuiltin(name, f);
}
function meth(t: PyType, name: string, f: NativeFn): void {
  t.methods.set(name, new PyBuiltin(name, f, undefined, t.name));
}
function kwOr(kw: Kw, a: V[], i: number, name: string, def: V): V {
  if (a.length > i) return a[i];
  const v = kw?.get(name);
  return v === undefined ? def : v;
}
function num(v: V, what: string): number {
  const f = toFloat(v);
  if (f === undefined) throw pyErr(PyTypeError, `${what}: a number is required, not '${typeName(v)}'`);
  return f;
}

// ---- threading types (shared by all interpreters; state lives on the host) ----
export const threadType = new PyType('Thread', objectType);
export const lockType = new PyType('lock', objectType);
export const rlockType = new PyType('RLock', objectType);
export const eventType = new PyType('Event', objectType);
export const conditionType = new PyType('Condition', objectType);
export const poolType = new PyType('Pool', objectType);
export const shaType = new PyType('sha256', objectType);

interface ThreadNative {
  target: V;
  args: V[];
  kwargs: V;
  id: number;
  started: boolean;
  ctx: ModuleContext;
}
interface LockNative {
  id: number;
  ctx: ModuleContext;
}
interface CondNative {
  id: number;
  lock: PyInstance;
  ctx: ModuleContext;
}

function lockAcquire(self: PyInstance, a: V[], kw: Kw): V {
  const { id, ctx } = self.native as LockNative;
  const blocking = truthy(kwOr(kw, a, 1, 'blocking', true));
  const timeoutV = kwOr(kw, a, 2, 'timeout', -1);
  const timeout = timeoutV === null ? -1 : num(timeoutV, 'timeout');
  if (!blocking && timeout !== -1) throw pyErr(ValueError, "can't specify a timeout for a non-blocking call");
  if (timeout < 0 && timeout !== -1) throw pyErr(ValueError, 'timeout value must be a non-negative number');
  const th = currentThread();
  if (ctx.host.tryAcquire(th, id)) return true;
  if (!blocking) return false;
  return hostBlock({ kind: 'lock', lockId: id, timeout }, (v) => v === true);
}
function lockRelease(self: PyInstance): V {
  const { id, ctx } = self.native as LockNative;
  try {
    ctx.host.release(currentThread(), id);
  } catch (e) {
    throw pyErr(RuntimeError, e instanceof Error ? e.message : String(e));
  }
  return null;
}

let typesReady = false;
function initThreadingTypes(): void {
  if (typesReady) return;
  typesReady = true;
  for (const t of [lockType, rlockType]) {
    meth(t, 'acquire', (a, kw) => lockAcquire(a[0] as PyInstance, a, kw));
    meth(t, '__enter__', (a) => lockAcquire(a[0] as PyInstance, [a[0]], null));
    meth(t, 'release', (a) => lockRelease(a[0] as PyInstance));
    meth(t, '__exit__', (a) => {
      lockRelease(a[0] as PyInstance);
      return false;
    });
    meth(t, 'locked', (a) => {
      const { id, ctx } = (a[0] as PyInstance).native as LockNative;
      return ctx.host.isLocked(id);
    });
  }
  meth(eventType, 'set', (a) => {
    const { id, ctx } = (a[0] as PyInstance).native as LockNative;
    ctx.host.setEvent(id, true);
    return null;
  });
  meth(eventType, 'clear', (a) => {
    const { id, ctx } = (a[0] as PyInstance).native as LockNative;
    ctx.host.setEvent(id, false);
    return null;
  });
  meth(eventType, 'is_set', (a) => {
    const { id, ctx } = (a[0] as PyInstance).native as LockNative;
    return ctx.host.isEventSet(id);
  });
  meth(eventType, 'wait', (a, kw) => {
    const { id, ctx } = (a[0] as PyInstance).native as LockNative;
    if (ctx.host.isEventSet(id)) return true;
    const t = kwOr(kw, a, 1, 'timeout', null);
    return hostBlock(
      { kind: 'event', eventId: id, timeout: t === null ? -1 : num(t, 'timeout') },
      (v) => v === true,
    );
  });
  const condLock = (a: V[]) => ((a[0] as PyInstance).native as CondNative).lock;
  meth(conditionType, 'acquire', (a, kw) => lockAcquire(condLock(a), [condLock(a), ...a.slice(1)], kw));
  meth(conditionType, '__enter__', (a) => lockAcquire(condLock(a), [condLock(a)], null));
  meth(conditionType, 'release', (a) => lockRelease(condLock(a)));
  meth(conditionType, '__exit__', (a) => {
    lockRelease(condLock(a));
    return false;
  });
  meth(conditionType, 'wait', (a, kw) => {
    const c = (a[0] as PyInstance).native as CondNative;
    const t = kwOr(kw, a, 1, 'timeout', null);
    const lockId = (c.lock.native as LockNative).id;
    if (!c.ctx.host.isLocked(lockId)) throw pyErr(RuntimeError, 'cannot wait on un-acquired lock');
    return hostBlock(
      { kind: 'condition', conditionId: c.id, lockId, timeout: t === null ? -1 : num(t, 'timeout') },
      (v) => v === true,
    );
  });
  meth(conditionType, 'notify', (a, kw) => {
    const c = (a[0] as PyInstance).native as CondNative;
    c.ctx.host.notify(c.id, Number(kwOr(kw, a, 1, 'n', 1)));
    return null;
  });
  meth(conditionType, 'notify_all', (a) => {
    const c = (a[0] as PyInstance).native as CondNative;
    c.ctx.host.notify(c.id, -1);
    return null;
  });
  meth(threadType, 'start', (a) => {
    const self = a[0] as PyInstance;
    const n = self.native as ThreadNative;
    if (n.started) throw pyErr(RuntimeError, 'threads can only be started once');
    n.started = true;
    const target = n.target;
    let args = n.args;
    if (target === null) return null;
    if (n.kwargs !== null && n.kwargs instanceof PyDict && n.kwargs.size > 0) {
      // bind kwargs by wrapping the call in a builtin the runtime can run
      const kwd = n.kwargs;
      const kwm = new Map<string, V>();
      for (const [hk, k] of kwd.keys) kwm.set(k as string, kwd.vals.get(hk)!);
      const inner = target;
      const a0 = args;
      args = [];
      n.target = fn('target', () => callValue(inner, a0, kwm));
    }
    const id = n.ctx.host.startThread({
      target: n.target as never,
      args,
      name: str(self.attrs.get('name') ?? null),
      interpreter: n.ctx.interpreter,
    });
    n.id = id;
    self.attrs.set('ident', id);
    self.attrs.set('native_id', id);
    n.ctx.threads.set(id, self);
    return null;
  });
  meth(threadType, 'join', (a, kw) => {
    const self = a[0] as PyInstance;
    const n = self.native as ThreadNative;
    if (!n.started) throw pyErr(RuntimeError, 'cannot join thread before it is started');
    const th = currentThread();
    if (n.id === th.id) throw pyErr(RuntimeError, 'cannot join current thread');
    if (!n.ctx.host.isAlive(n.id)) return null;
    const t = kwOr(kw, a, 1, 'timeout', null);
    return hostBlock(
      { kind: 'join', threadId: n.id, timeout: t === null ? -1 : num(t, 'timeout') },
      () => null,
    );
  });
  meth(threadType, 'is_alive', (a) => {
    const n = (a[0] as PyInstance).native as ThreadNative;
    if (n.id === n.ctx.mainThreadId && n.started) return true;
    return n.started && n.ctx.host.isAlive(n.id);
  });
  meth(threadType, 'getName', (a) => (a[0] as PyInstance).attrs.get('name') ?? null);
  meth(lockType, '__repr__', (a) => `<unlocked _thread.lock object>${a.length ? '' : ''}`);
  meth(poolType, '__enter__', (a) => a[0]);
  meth(poolType, '__exit__', () => false);
  meth(poolType, 'close', () => null);
  meth(poolType, 'join', () => null);
  meth(poolType, 'terminate', () => null);
  meth(shaType, 'update', (a) => {
    const self = a[0] as PyInstance;
    const data = a[1];
    if (!(data instanceof PyBytes))
      throw pyErr(
        PyTypeError,
        typeof data === 'string'
          ? 'Strings must be encoded before hashing'
          : `object supporting the buffer API required`,
      );
    const prev = self.native as Uint8Array;
    const next = new Uint8Array(prev.length + data.b.length);
    next.set(prev);
    next.set(data.b, prev.length);
    self.native = next;
    return hashBlocking(next.length - prev.length, () => null);
  });
  meth(shaType, 'hexdigest', (a) => {
    const d = sha256((a[0] as PyInstance).native as Uint8Array);
    return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
  });
  meth(shaType, 'digest', (a) => new PyBytes(sha256((a[0] as PyInstance).native as Uint8Array)));
  shaType.attrs.set('name', 'sha256');
}

/** CPython releases the GIL while hashing more than 2047 bytes (HASHLIB_GIL_MINSIZE). */
const HASHLIB_GIL_MINSIZE = 2048;
function hashBlocking(bytes: number, finish: () => V): V {
  if (bytes < HASHLIB_GIL_MINSIZE) return finish();
  // ~2 ns per byte is CPython's OpenSSL SHA-256 on a modern core
  return hostBlock({ kind: 'native', name: 'sha256', bytes, cost: bytes * 0.002 }, () => finish());
}

function makeThreadObject(ctx: ModuleContext, id: number, name: string, started: boolean): PyInstance {
  const t = new PyInstance(threadType, {
    target: null,
    args: [],
    kwargs: null,
    id,
    started,
    ctx,
  } satisfies ThreadNative);
  t.attrs.set('name', name);
  t.attrs.set('ident', started ? id : null);
  t.attrs.set('daemon', false);
  return t;
}

function moduleFrom(name: string, entries: Record<string, V>): PyModule {
  return new PyModule(name, new Map(Object.entries(entries)));
}

/** Build a module by name, or undefined if MiniPy does not have it. */
export function createModule(name: string, ctx: ModuleContext): PyModule | undefined {
  initThreadingTypes();
  switch (name) {
    case 'threading':
      return threadingModule(ctx);
    case 'time':
      return moduleFrom('time', {
        sleep: fn('sleep', (a) => {
          const s = num(a[0], 'sleep');
          if (s < 0) throw pyErr(ValueError, 'sleep length must be non-negative');
          return hostBlock({ kind: 'sleep', seconds: s }, () => null);
        }),
        perf_counter: fn('perf_counter', () => mkFloat(ctx.host.monotonic())),
        monotonic: fn('monotonic', () => mkFloat(ctx.host.monotonic())),
        process_time: fn('process_time', () => mkFloat(ctx.host.monotonic())),
        time: fn('time', () => mkFloat(ctx.host.wallTime())),
        perf_counter_ns: fn('perf_counter_ns', () => normBig(BigInt(Math.round(ctx.host.monotonic() * 1e9)))),
        monotonic_ns: fn('monotonic_ns', () => normBig(BigInt(Math.round(ctx.host.monotonic() * 1e9)))),
        time_ns: fn('time_ns', () => normBig(BigInt(Math.round(ctx.host.wallTime() * 1e9)))),
      });
    case 'sys':
      return sysModule(ctx);
    case 'gc':
      return moduleFrom('gc', {
        // MiniPy objects are JS objects collected by the JS engine: there is never cyclic garbage left for gc.collect().
        collect: fn('collect', () => 0),
        enable: fn('enable', () => null),
        disable: fn('disable', () => null),
        isenabled: fn('isenabled', () => true),
      });
    case 'hashlib':
      return moduleFrom('hashlib', {
        sha256: fn('sha256', (a) => {
          const obj = new PyInstance(shaType, new Uint8Array(0));
          if (a.length && a[0] !== null) {
            const data = a[0];
            if (!(data instanceof PyBytes))
              throw pyErr(
                PyTypeError,
                typeof data === 'string'
                  ? 'Strings must be encoded before hashing'
                  : 'object supporting the buffer API required',
              );
            obj.native = data.b.slice();
            return hashBlocking(data.b.length, () => obj);
          }
          return obj;
        }),
      });
    case 'random':
      return randomModule();
    case 'math':
      return mathModule();
    case 'multiprocessing':
      return multiprocessingModule(ctx);
    case 'dis':
      return moduleFrom('dis', {
        dis: fn('dis', (a) => {
          const f = a[0];
          if (!(f instanceof PyFunction))
            throw pyErr(PyTypeError, `don't know how to disassemble ${typeName(f)} objects`);
          ctx.host.write(`${disassemble(f.code)}\n`);
          return null;
        }),
      });
    case 'os':
      return moduleFrom('os', {
        cpu_count: fn('cpu_count', () => cpuCount(ctx)),
        getpid: fn('getpid', () => 1),
      });
  }
  return undefined;
}

function cpuCount(ctx: ModuleContext): number {
  if (ctx.host.pool) return ctx.host.pool.cpuCount();
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

function threadingModule(ctx: ModuleContext): PyModule {
  let counter = 0;
  const currentObj = (): PyInstance => {
    const th = currentThread();
    const id = ctx.host.currentThreadId(th);
    let t = ctx.threads.get(id);
    if (!t) {
      const info = ctx.host.threadInfo(id);
      t = makeThreadObject(ctx, id, info?.name ?? (id === ctx.mainThreadId ? 'MainThread' : th.name), true);
      ctx.threads.set(id, t);
    }
    return t;
  };
  const Thread = new PyType('Thread', objectType, (a, kw) => {
    for (const k of kw?.keys() ?? []) {
      if (!['target', 'args', 'kwargs', 'name', 'daemon', 'group'].includes(k)) {
        throw pyErr(PyTypeError, `Thread.__init__() got an unexpected keyword argument '${k}'`);
      }
    }
    const target = kwOr(kw, a, 1, 'target', null);
    const args = kwOr(kw, a, 3, 'args', new PyTuple([]));
    const name = kwOr(kw, a, 2, 'name', null);
    counter++;
    const tname =
      name !== null
        ? str(name)
        : `Thread-${counter}${target instanceof PyFunction ? ` (${target.code.name})` : ''}`;
    const t = makeThreadObject(ctx, -1, tname, false);
    const n = t.native as ThreadNative;
    n.target = target;
    n.args = toArray(args);
    n.kwargs = kwOr(kw, a, 4, 'kwargs', null);
    t.attrs.set('daemon', truthy(kwOr(kw, a, 5, 'daemon', false)));
    return t;
  });
  for (const [k, v] of threadType.methods) Thread.methods.set(k, v);
  const Lock = new PyType(
    'lock',
    objectType,
    () => new PyInstance(lockType, { id: ctx.host.newLock(false), ctx }),
  );
  const RLock = new PyType(
    'RLock',
    objectType,
    () => new PyInstance(rlockType, { id: ctx.host.newLock(true), ctx }),
  );
  const Event = new PyType(
    'Event',
    objectType,
    () => new PyInstance(eventType, { id: ctx.host.newEvent(), ctx }),
  );
  const Condition = new PyType('Condition', objectType, (a, kw) => {
    let lock = kwOr(kw, a, 0, 'lock', null);
    if (lock === null) lock = new PyInstance(rlockType, { id: ctx.host.newLock(true), ctx });
    if (!(lock instanceof PyInstance) || (lock.type !== lockType && lock.type !== rlockType)) {
      throw pyErr(PyTypeError, 'Condition() lock must be a Lock or RLock');
    }
    const lockId = (lock.native as LockNative).id;
    return new PyInstance(conditionType, {
      id: ctx.host.newCondition(lockId),
      lock,
      ctx,
    } satisfies CondNative);
  });
  const Semaphore = new PyType('Semaphore', objectType, () => {
    throw pyErr(
      EXCEPTION_TYPES.get('NotImplementedError')!,
      'threading.Semaphore is not supported by MiniPy',
    );
  });
  return moduleFrom('threading', {
    Thread,
    Lock,
    RLock,
    Event,
    Condition,
    Semaphore,
    current_thread: fn('current_thread', () => currentObj()),
    main_thread: fn('main_thread', () => {
      let t = ctx.threads.get(ctx.mainThreadId);
      if (!t) {
        t = makeThreadObject(ctx, ctx.mainThreadId, 'MainThread', true);
        ctx.threads.set(ctx.mainThreadId, t);
      }
      return t;
    }),
    get_ident: fn('get_ident', () => ctx.host.currentThreadId(currentThread())),
    get_native_id: fn('get_native_id', () => ctx.host.currentThreadId(currentThread())),
    active_count: fn('active_count', () => ctx.host.activeCount()),
  });
}

function sysModule(ctx: ModuleContext): PyModule {
  const stream = (name: string, out: (s: string) => void): PyInstance => {
    const t = new PyType('TextIOWrapper', objectType);
    t.methods.set(
      'write',
      new PyBuiltin('write', (a) => {
        const s = a[1];
        if (typeof s !== 'string')
          throw pyErr(PyTypeError, `write() argument must be str, not ${typeName(s)}`);
        out(s);
        return s.length;
      }),
    );
    t.methods.set('flush', new PyBuiltin('flush', () => null));
    const o = new PyInstance(t);
    o.attrs.set('name', name);
    return o;
  };
  const stdout = stream('<stdout>', (s) => ctx.host.write(s));
  // stderr goes to the host's writeErr when it has one (DefaultHost: its stderr callback)
  const stderr = stream('<stderr>', (s) => ctx.host.writeErr?.(s));
  return moduleFrom('sys', {
    setswitchinterval: fn('setswitchinterval', (a) => {
      const s = num(a[0], 'setswitchinterval');
      if (!(s > 0)) throw pyErr(ValueError, 'switch interval must be strictly positive');
      ctx.host.setSwitchInterval(s);
      return null;
    }),
    getswitchinterval: fn('getswitchinterval', () => mkFloat(ctx.host.getSwitchInterval())),
    getrefcount: fn('getrefcount', (a) => countReferences(a[0], ctx)),
    getrecursionlimit: fn('getrecursionlimit', () => ctx.getRecursionLimit()),
    setrecursionlimit: fn('setrecursionlimit', (a) => {
      const n = a[0];
      if (!isInt(n)) throw pyErr(PyTypeError, "'float' object cannot be interpreted as an integer");
      if (Number(n) < 1) throw pyErr(ValueError, 'recursion limit must be greater or equal than 1');
      ctx.setRecursionLimit(Number(n));
      return null;
    }),
    _is_gil_enabled: fn('_is_gil_enabled', () => ctx.host.isGilEnabled()),
    exit: fn('exit', (a) => {
      throw new PyExc(EXCEPTION_TYPES.get('SystemExit')!, a.slice(0, 1));
    }),
    maxsize: normBig(2n ** 63n - 1n),
    argv: new PyList([ctx.filename]),
    platform: 'minipy',
    version: '3.11.0 (MiniPy)',
    version_info: new PyTuple([3, 11, 0, 'final', 0]),
    stdout,
    stderr,
  });
}

/**
 * `sys.getrefcount(x) - 1`: the number of references to `x` held by everything reachable from
 * the running thread's frames and the module globals (containers, closures, defaults), found by a
 * graph walk. MiniPy values live in JS memory, so this is counted, not read from a header.
 */
function countReferences(target: V, ctx: ModuleContext): number {
  const seen = new Set<object>();
  let count = 0;
  const visit = (v: V | undefined): void => {
    if (v === undefined) return;
    if (v === target) count++;
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof PyList || v instanceof PyTuple) for (const x of v.a) visit(x);
    else if (v instanceof PyDict) {
      for (const k of v.keys.values()) visit(k);
      for (const x of v.vals.values()) visit(x);
    } else if (v instanceof PySet) for (const x of v.m.values()) visit(x);
    else if (v instanceof PyCell) visit(v.v);
    else if (v instanceof PyFunction) {
      for (const d of v.defaults ?? []) visit(d);
      for (const c of v.closure ?? []) visit(c);
    } else if (v instanceof PyInstance) for (const x of v.attrs.values()) visit(x);
  };
  for (const x of ctx.globals.values()) visit(x);
  const th = currentThread();
  for (const f of th.frames) {
    if (f.globals !== ctx.globals) for (const x of f.globals.values()) visit(x);
    for (const x of f.locals) visit(x);
    for (const x of f.stack) visit(x);
    for (const c of f.cells ?? []) visit(c);
  }
  // +1: the reference held by getrefcount's own argument, which CPython includes.
  return count + 1;
}

function randomModule(): PyModule {
  const mt = new MersenneTwister(BigInt(Date.now()));
  const below = (n: bigint) => mt.randbelow(n);
  const randrange = (a: V[]): V => {
    let start = 0n;
    let stop: bigint;
    let step = 1n;
    if (a.length === 1) stop = toBigInt(a[0]);
    else {
      start = toBigInt(a[0]);
      stop = toBigInt(a[1]);
      if (a.length > 2) step = toBigInt(a[2]);
    }
    if (step === 1n) {
      if (stop <= start) throw pyErr(ValueError, `empty range in randrange(${start}, ${stop})`);
      return normBig(start + below(stop - start));
    }
    if (step === 0n) throw pyErr(ValueError, 'zero step for randrange()');
    const n = step > 0n ? (stop - start + step - 1n) / step : (stop - start + step + 1n) / step;
    if (n <= 0n) throw pyErr(ValueError, 'empty range for randrange()');
    return normBig(start + step * below(n));
  };
  return moduleFrom('random', {
    seed: fn('seed', (a) => {
      const s = a.length ? a[0] : null;
      if (s === null) mt.seed(BigInt(Date.now()));
      else if (isInt(s)) mt.seed(toBigInt(s));
      else if (s instanceof PyFloat) mt.seed(BigInt(Math.trunc(s.v)));
      else throw pyErr(PyTypeError, 'MiniPy random.seed() supports int seeds only');
      return null;
    }),
    random: fn('random', () => mkFloat(mt.random())),
    uniform: fn('uniform', (a) => {
      const x = num(a[0], 'uniform');
      const y = num(a[1], 'uniform');
      return mkFloat(x + (y - x) * mt.random());
    }),
    randint: fn('randint', (a) => {
      if (a.length !== 2)
        throw pyErr(PyTypeError, `randint() takes 2 positional arguments but ${a.length} were given`);
      return randrange([a[0], intBinary(0, toBigInt(a[1]) as bigint, 1)]);
    }),
    randrange: fn('randrange', (a) => randrange(a)),
    choice: fn('choice', (a) => {
      const items = toArray(a[0]);
      if (items.length === 0)
        throw pyErr(EXCEPTION_TYPES.get('IndexError')!, 'Cannot choose from an empty sequence');
      return items[Number(below(BigInt(items.length)))];
    }),
    shuffle: fn('shuffle', (a) => {
      const l = a[0];
      if (!(l instanceof PyList)) throw pyErr(PyTypeError, "'shuffle' requires a list in MiniPy");
      for (let i = l.a.length - 1; i > 0; i--) {
        const j = Number(below(BigInt(i + 1)));
        const t = l.a[i];
        l.a[i] = l.a[j];
        l.a[j] = t;
      }
      return null;
    }),
    sample: fn('sample', (a) => {
      const pop = toArray(a[0]);
      const k = Number(toBigInt(a[1]));
      const n = pop.length;
      if (k < 0 || k > n) throw pyErr(ValueError, 'Sample larger than population or is negative');
      // CPython's set-based or pool-based selection, pool variant for small n
      const result: V[] = [];
      let setsize = 21;
      if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
      if (n <= setsize) {
        const pool = pop.slice();
        for (let i = 0; i < k; i++) {
          const j = Number(below(BigInt(n - i)));
          result.push(pool[j]);
          pool[j] = pool[n - i - 1];
        }
      } else {
        const selected = new Set<number>();
        for (let i = 0; i < k; i++) {
          let j = Number(below(BigInt(n)));
          while (selected.has(j)) j = Number(below(BigInt(n)));
          selected.add(j);
          result.push(pop[j]);
        }
      }
      return new PyList(result);
    }),
    getrandbits: fn('getrandbits', (a) => normBig(mt.getrandbits(Number(toBigInt(a[0]))))),
  });
}

function mathModule(): PyModule {
  const f1 = (name: string, g: (x: number) => number) =>
    fn(name, (a) => {
      const x = num(a[0], `must be real number, not ${typeName(a[0])}`);
      const r = g(x);
      if (Number.isNaN(r) && !Number.isNaN(x)) throw pyErr(ValueError, 'math domain error');
      return mkFloat(r);
    });
  const toInt = (x: number) => (Number.isSafeInteger(x) ? x : normBig(BigInt(x)));
  const gcd = (x: bigint, y: bigint): bigint => {
    x = x < 0n ? -x : x;
    y = y < 0n ? -y : y;
    while (y) [x, y] = [y, x % y];
    return x;
  };
  return moduleFrom('math', {
    pi: mkFloat(Math.PI),
    e: mkFloat(Math.E),
    tau: mkFloat(2 * Math.PI),
    inf: mkFloat(Number.POSITIVE_INFINITY),
    nan: mkFloat(Number.NaN),
    sqrt: f1('sqrt', Math.sqrt),
    exp: f1('exp', Math.exp),
    sin: f1('sin', Math.sin),
    cos: f1('cos', Math.cos),
    tan: f1('tan', Math.tan),
    asin: f1('asin', Math.asin),
    acos: f1('acos', Math.acos),
    atan: f1('atan', Math.atan),
    fabs: f1('fabs', Math.abs),
    log2: f1('log2', (x) => (x <= 0 ? Number.NaN : Math.log2(x))),
    log10: f1('log10', (x) => (x <= 0 ? Number.NaN : Math.log10(x))),
    log: fn('log', (a) => {
      const x = isInt(a[0]) && typeof a[0] === 'bigint' ? Number(a[0]) : num(a[0], 'log');
      if (x <= 0) throw pyErr(ValueError, 'math domain error');
      if (a.length > 1) return mkFloat(Math.log(x) / Math.log(num(a[1], 'log')));
      return mkFloat(Math.log(x));
    }),
    copysign: fn('copysign', (a) => {
      const x = Math.abs(num(a[0], 'copysign'));
      const y = num(a[1], 'copysign');
      return mkFloat(y < 0 || Object.is(y, -0) ? -x : x);
    }),
    fmod: fn('fmod', (a) => {
      const y = num(a[1], 'fmod');
      if (y === 0) throw pyErr(ValueError, 'math domain error');
      return mkFloat(num(a[0], 'fmod') % y);
    }),
    degrees: f1('degrees', (x) => (x * 180) / Math.PI),
    radians: f1('radians', (x) => (x * Math.PI) / 180),
    modf: fn('modf', (a) => {
      const x = num(a[0], 'modf');
      const i = Math.trunc(x);
      return new PyTuple([mkFloat(x - i), mkFloat(i)]);
    }),
    atan2: fn('atan2', (a) => mkFloat(Math.atan2(num(a[0], 'atan2'), num(a[1], 'atan2')))),
    hypot: fn('hypot', (a) => mkFloat(Math.hypot(...a.map((x) => num(x, 'hypot'))))),
    pow: fn('pow', (a) => mkFloat(num(a[0], 'pow') ** num(a[1], 'pow'))),
    floor: fn('floor', (a) => (isInt(a[0]) ? a[0] : toInt(Math.floor(num(a[0], 'floor'))))),
    ceil: fn('ceil', (a) => (isInt(a[0]) ? a[0] : toInt(Math.ceil(num(a[0], 'ceil'))))),
    trunc: fn('trunc', (a) => (isInt(a[0]) ? a[0] : toInt(Math.trunc(num(a[0], 'trunc'))))),
    isnan: fn('isnan', (a) => Number.isNaN(num(a[0], 'isnan'))),
    isinf: fn('isinf', (a) => Math.abs(num(a[0], 'isinf')) === Number.POSITIVE_INFINITY),
    isfinite: fn('isfinite', (a) => Number.isFinite(num(a[0], 'isfinite'))),
    isclose: fn('isclose', (a, kw) => {
      const x = num(a[0], 'isclose');
      const y = num(a[1], 'isclose');
      const rel = kw?.get('rel_tol') !== undefined ? num(kw.get('rel_tol')!, 'rel_tol') : 1e-9;
      const abs = kw?.get('abs_tol') !== undefined ? num(kw.get('abs_tol')!, 'abs_tol') : 0;
      return x === y || Math.abs(x - y) <= Math.max(rel * Math.max(Math.abs(x), Math.abs(y)), abs);
    }),
    gcd: fn('gcd', (a) => normBig(a.reduce<bigint>((g, x) => gcd(g, toBigInt(x)), 0n))),
    factorial: fn('factorial', (a) => {
      if (!isInt(a[0])) throw pyErr(PyTypeError, "'float' object cannot be interpreted as an integer");
      const n = toBigInt(a[0]);
      if (n < 0n) throw pyErr(ValueError, 'factorial() not defined for negative values');
      let r = 1n;
      for (let i = 2n; i <= n; i++) r *= i;
      return normBig(r);
    }),
    isqrt: fn('isqrt', (a) => {
      const n = toBigInt(a[0]);
      if (n < 0n) throw pyErr(ValueError, 'isqrt() argument must be nonnegative');
      if (n < 2n) return normBig(n);
      let x = BigInt(Math.floor(Math.sqrt(Number(n))));
      while (x * x > n) x--;
      while ((x + 1n) * (x + 1n) <= n) x++;
      return normBig(x);
    }),
    comb: fn('comb', (a) => {
      const n = toBigInt(a[0]);
      let k = toBigInt(a[1]);
      if (k > n) return 0;
      if (k > n - k) k = n - k;
      let r = 1n;
      for (let i = 0n; i < k; i++) r = (r * (n - i)) / (i + 1n);
      return normBig(r);
    }),
    perm: fn('perm', (a) => {
      const n = toBigInt(a[0]);
      const k = a.length > 1 ? toBigInt(a[1]) : n;
      if (k > n) return 0;
      let r = 1n;
      for (let i = 0n; i < k; i++) r *= n - i;
      return normBig(r);
    }),
    prod: fn('prod', (a) => {
      let r: V = 1;
      for (const x of iterate(a[0])) r = r === 1 && typeof x !== 'number' ? x : mulAny(r, x);
      return r;
    }),
    fsum: fn('fsum', (a) => mkFloat(toArray(a[0]).reduce<number>((s, x) => s + num(x, 'fsum'), 0))),
  });
}

function mulAny(a: V, b: V): V {
  if (isInt(a) && isInt(b)) return intBinary(5, toBigInt(a), toBigInt(b));
  return mkFloat(num(a, 'prod') * num(b, 'prod'));
}

function multiprocessingModule(ctx: ModuleContext): PyModule {
  const Pool = new PyType('Pool', objectType, (a, kw) => {
    const p = kwOr(kw, a, 0, 'processes', null);
    const processes = p === null ? cpuCount(ctx) : Number(toBigInt(p));
    if (processes < 1) throw pyErr(ValueError, 'Number of processes must be at least 1');
    return new PyInstance(Pool, processes);
  });
  for (const [k, v] of poolType.methods) Pool.methods.set(k, v);
  const mapImpl = (self: PyInstance, f: V, items: V[], star: boolean): V => {
    const pool = ctx.host.pool;
    if (pool && f instanceof PyFunction && ctx.globals.get(f.code.name) === f) {
      const res = pool.map(
        ctx.source,
        f.code.name,
        items.map((x) => (star ? ctx.toJS(x) : [ctx.toJS(x)])),
        self.native as number,
      );
      return new PyList(res.map((r) => ctx.fromJS(r)));
    }
    // single-process fallback: run each task inline, as a pool of one worker would
    return new PyList(items.map((x) => callValue(f, star ? toArray(x) : [x])));
  };
  Pool.methods.set(
    'map',
    new PyBuiltin('map', (a) => mapImpl(a[0] as PyInstance, a[1], toArray(a[2]), false)),
  );
  Pool.methods.set(
    'starmap',
    new PyBuiltin('starmap', (a) => mapImpl(a[0] as PyInstance, a[1], toArray(a[2]), true)),
  );
  Pool.methods.set(
    'apply',
    new PyBuiltin('apply', (a) => callValue(a[1], a.length > 2 ? toArray(a[2]) : [])),
  );
  return moduleFrom('multiprocessing', {
    Pool,
    cpu_count: fn('cpu_count', () => cpuCount(ctx)),
    current_process: fn('current_process', () => {
      const o = new PyInstance(new PyType('Process', objectType));
      o.attrs.set('name', 'MainProcess');
      return o;
    }),
  });
}

export { PyBytes };

void PyModule;
void PySet;
