/**
 * The body of a WorkerRuntime worker, whatever the platform: runs one MiniPy thread. The main
 * MiniPy thread runs the module body; another thread first runs the program's prelude (its defs,
 * imports and module-level locks/events, see prelude.ts), then its target function. Bytecode runs
 * only while the thread holds the GIL; at a breaker stop (drop request) it drops and retakes it;
 * blocking calls drop it in the host. On exit the thread publishes its globals, marks itself done
 * (waking joiners) and drops the GIL, in that order, so a joiner never sees "done" before the final
 * state is visible.
 */
import { Gil } from '@gilkit/lock';
import { Interpreter, type VmThread } from '@gilkit/vm';
import { compileErrorInfo } from '../vm-api.js';
import { DONE_EXCEPTION, DONE_OK, THREAD_STATE } from './layout.js';
import { threadPrelude } from './prelude.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { TraceRing } from './ring.js';
import { WorkerHost } from './worker-host.js';

/**
 * Runs the thread described by `init` to its end. `post` talks to the coordinator; `crash` kills
 * this worker abruptly (fault injection), the platform's way.
 */
export function runThread(init: WorkerInit, post: (m: WorkerMessage) => void, crash: () => never): void {
  const ctrl = new Int32Array(init.control);
  const ring = new TraceRing(init.ring, init.startMs);
  const gil = init.gil ? Gil.from(init.gil) : undefined;
  const host = new WorkerHost(init, gil, ring, post, crash);
  const interp = new Interpreter({ host, filename: init.filename });
  host.interp = interp;

  const finish = (error: { type: string; message: string; traceback: string } | null): void => {
    if (error && init.role === 'thread')
      host.writeErr(`Exception in thread ${init.name}:\n${error.traceback}`);
    host.exportGlobals();
    Atomics.store(ctrl, THREAD_STATE + init.id, error ? DONE_EXCEPTION : DONE_OK);
    Atomics.notify(ctrl, THREAD_STATE + init.id);
    ring.end(init.id);
    if (gil) gil.drop();
    post({ type: 'done', id: init.id, error });
  };

  let th: VmThread;
  if (init.role === 'main') {
    try {
      th = interp.mainThread(init.source);
    } catch (e) {
      const info = compileErrorInfo(e, init.source);
      if (!info) throw e;
      host.state('running');
      if (gil) gil.take();
      finish(info);
      return;
    }
    host.takeGil();
  } else {
    host.state('waiting', 'start');
    host.prelude = true;
    interp.exec(threadPrelude(init.source));
    host.prelude = false;
    host.takeGil();
    th = interp.threadForGlobal(init.target as string, init.args ?? [], { id: init.id, name: init.name });
  }
  for (;;) {
    const r = th.run(50_000);
    host.countInstructions(r.executed);
    switch (r.reason) {
      case 'budget':
        continue;
      case 'breaker':
        host.switchGil();
        continue;
      case 'finished':
        finish(null);
        return;
      case 'error':
        finish(r.error ?? null);
        return;
      case 'blocked':
        throw new Error('WorkerRuntime: the eval loop suspended, but the worker host blocks for real');
    }
  }
}
