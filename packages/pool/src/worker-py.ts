/**
 * Worker side: MiniPy tasks. Loaded on the first `{ source, name }` task, so JS-only pools never
 * load the vm.
 *
 * The worker is one "process": it owns one GIL (`Gil.create()`, never shared with another worker,
 * so the workers of a pool run Python in parallel, as CPython processes do), one refcounted
 * `@gilkit/heap` (`newHeap()`, the process's private memory: task arguments are converted into it
 * and results out of it, as a process unpickles and pickles them) and, per task source, one
 * `Interpreter` on that heap whose module `__mp_main__` is executed once (as a spawned CPython
 * process re-imports the main module). Every call holds this process's GIL; the eval loop's breaker check
 * honours a drop request on it (only threads started by the task itself could make one).
 */
import { threadId } from 'node:worker_threads';
import { Gil } from '@gilkit/lock';
import { DefaultHost, Interpreter, newHeap, PyError } from '@gilkit/vm';
import type { TaskFunction } from './worker-tasks.js';

const gil = Gil.create();
/** This process's heap: every interpreter of the worker allocates here. */
const heap = newHeap();

/** The default single-threaded host, with the breaker wired to this process's GIL. */
class ProcessHost extends DefaultHost {
  override onBreaker(): boolean {
    if (gil.dropRequested()) gil.yield();
    return false;
  }
}

const interpreters = new Map<string, Interpreter>();

function interpreterFor(source: string): Interpreter {
  let interpreter = interpreters.get(source);
  if (interpreter === undefined) {
    // mainThreadId: `threading.get_ident()` in a task tells the workers ("processes") apart.
    interpreter = new Interpreter({
      heap,
      host: new ProcessHost(),
      moduleName: '__mp_main__',
      filename: '<task>',
      mainThreadId: threadId,
    });
    gil.take();
    try {
      interpreter.exec(source);
    } finally {
      gil.drop();
    }
    interpreters.set(source, interpreter);
  }
  return interpreter;
}

/** Returns the callable for MiniPy function `name` defined by `source` (executing `source` on first use). */
export function loadPyTask(source: string, name: string): TaskFunction {
  const interpreter = interpreterFor(source);
  if (interpreter.globalCallable(name) === undefined) {
    throw new PyError({ type: 'NameError', message: `name '${name}' is not defined`, traceback: '' });
  }
  // A Python exception leaves as a PyError; toWireError keeps its type and traceback.
  return (...args: unknown[]) => {
    gil.take();
    try {
      return interpreter.call(name, ...args);
    } finally {
      gil.drop();
    }
  };
}
