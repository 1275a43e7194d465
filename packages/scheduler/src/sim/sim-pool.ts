/**
 * `multiprocessing.Pool` for the simulator (the vm's `host.pool`). The tasks really run, each
 * worker process in its own Interpreter (the program re-imported as `__mp_main__`, as the spawn
 * start method does), so results are real; their *timing* is simulated: process start-up, CPython's
 * chunking (`ceil(n / (4 * processes))` items per chunk, chunks to whichever worker is free first),
 * pickling of arguments and results, and each chunk's bytecode at the cost model's rate with the
 * worker's own GIL (no contention). With more processes than cores, the workers share the cores
 * (their work stretches by processes/cores). The caller gets the results at once but then waits,
 * without the GIL, until the simulated pool would have finished, and the trace shows one
 * `ForkPoolWorker-N` track per process.
 */
import { DefaultHost, type PoolHost } from '@gilkit/vm';
import type { VmApi, VmInterpreter } from '../vm-api.js';
import type { SimEngine, SimThread } from './engine.js';

/** Bytes a pickled argument or result is assumed to take (no real pickling happens). */
const PICKLE_BYTES = 64;

function pyError(pyType: string, message: string): Error {
  return Object.assign(new Error(message), { pyType });
}

export class SimPool implements PoolHost {
  readonly #engine: SimEngine;
  readonly #api: VmApi;
  readonly #filename: string;
  readonly #write: (text: string) => void;
  readonly #current: () => SimThread | undefined;
  readonly #jit: boolean;
  #workerCount = 0;

  constructor(
    engine: SimEngine,
    api: VmApi,
    filename: string,
    write: (text: string) => void,
    current: () => SimThread | undefined,
    /** Interpreter option `jit` for the worker processes' interpreters. */
    jit = true,
  ) {
    this.#engine = engine;
    this.#api = api;
    this.#filename = filename;
    this.#write = write;
    this.#current = current;
    this.#jit = jit;
  }

  /**
   * The pool's worker processes. The host interface has no pool identity, so the workers of the
   * first `map` with a given process count are reused by later ones (as a program reusing its Pool
   * would): start-up is paid once.
   */
  #pools = new Map<number, { procs: { interp: VmInterpreter; id: number; readyAt: number }[] }>();

  #workers(source: string, processes: number, t0: number) {
    const known = this.#pools.get(processes);
    if (known) return known;
    const e = this.#engine;
    const stretch = Math.max(1, processes / e.cores);
    const procs = Array.from({ length: processes }, () => {
      // Real work: one interpreter per process, the program re-run as __mp_main__.
      const host = new DefaultHost((text) => this.#write(text));
      const interp = new this.#api.Interpreter({
        host,
        filename: this.#filename,
        moduleName: '__mp_main__',
        jit: this.#jit,
      } as {
        host: DefaultHost;
        filename: string;
        jit: boolean;
      });
      const main = interp.mainThread(source);
      main.run(Number.MAX_SAFE_INTEGER);
      const id = e.reserveId();
      this.#workerCount++;
      e.recorder.addThread({ id, name: `ForkPoolWorker-${this.#workerCount}`, group: 1000 + id });
      e.recorder.set(id, 'waiting', t0, 'start');
      const readyAt = t0 + e.cost.processStartNs + main.executed * e.cost.nsPerInstruction * stretch;
      return { interp, id, readyAt };
    });
    const pool = { procs };
    this.#pools.set(processes, pool);
    return pool;
  }

  cpuCount(): number {
    return this.#engine.cores;
  }

  map(source: string, fnName: string, items: unknown[], processes: number): unknown[] {
    const e = this.#engine;
    const cost = e.cost;
    const caller = this.#current();
    const t0 = caller ? e.timeOf(caller) : e.now;
    const workers = this.#workers(source, processes, t0);
    const procs = workers.procs;
    const runItem = (p: number, args: unknown): { result: unknown; ns: number } => {
      const { interp } = procs[p];
      const jsArgs = Array.isArray(args) ? args : [args];
      const th = interp.threadForGlobal(fnName, jsArgs, { id: 1, name: 'MainThread' });
      const r = th.run(Number.MAX_SAFE_INTEGER);
      if (r.reason === 'error') {
        throw pyError(r.error?.type ?? 'RuntimeError', r.error?.message ?? 'task failed in a pool worker');
      }
      return { result: th.result, ns: th.executed * cost.nsPerInstruction };
    };
    const n = items.length;
    const chunksize = Math.max(1, Math.ceil(n / (4 * processes)));
    const stretch = Math.max(1, processes / e.cores);
    const freeAt = procs.map((p) => Math.max(t0, p.readyAt));
    const ids = procs.map((p) => p.id);
    const results: unknown[] = new Array(n);
    for (let start = 0; start < n; start += chunksize) {
      // CPython hands the next chunk to whichever worker asks first.
      let p = 0;
      for (let q = 1; q < processes; q++) if (freeAt[q] < freeAt[p]) p = q;
      const end = Math.min(n, start + chunksize);
      let ns = (end - start) * 2 * PICKLE_BYTES * cost.pickleNsPerByte;
      for (let i = start; i < end; i++) {
        const r = runItem(p, items[i]);
        results[i] = r.result;
        ns += r.ns;
      }
      e.recorder.set(ids[p], 'running', freeAt[p]);
      freeAt[p] += ns * stretch;
      e.recorder.set(ids[p], 'waiting', freeAt[p], 'queue');
    }
    const done = Math.max(...freeAt);
    procs.forEach((proc, p) => {
      proc.readyAt = freeAt[p];
      e.recorder.set(ids[p], 'blocked', freeAt[p], 'idle');
    });
    if (caller) {
      caller.pendingWaitNs = Math.max(0, done - t0);
      caller.pendingWaitDetail = 'pool.map';
      caller.yieldFlag = true;
    }
    return results;
  }
}
