/**
 * Worker side: turns a `WireTask` into a callable, once per worker (cached).
 */
import type { WireTask } from './protocol.js';

/** A task function as the worker calls it: one item's arguments in, a value (or a Promise) out. */
export type TaskFunction = (...args: unknown[]) => unknown;

const cache = new Map<string, Promise<TaskFunction>>();

function cacheKey(task: WireTask): string {
  return task.kind === 'js' ? `js\0${task.module}\0${task.name}` : `py\0${task.name}\0${task.source}`;
}

async function loadJs(module: string, name: string): Promise<TaskFunction> {
  const namespace = (await import(module)) as Record<string, unknown>;
  const fn = namespace[name];
  if (typeof fn !== 'function') {
    throw new TypeError(`task.name: '${name}' is not a function exported by ${module}`);
  }
  return fn as TaskFunction;
}

/** Returns the callable for `task`, loading its module on first use. */
export function loadTask(task: WireTask): Promise<TaskFunction> {
  const key = cacheKey(task);
  let loaded = cache.get(key);
  if (loaded === undefined) {
    loaded = task.kind === 'js' ? loadJs(task.module, task.name) : loadPy(task.source, task.name);
    cache.set(key, loaded);
  }
  return loaded;
}

/** MiniPy: the vm is loaded on the first MiniPy task only. */
async function loadPy(source: string, name: string): Promise<TaskFunction> {
  const { loadPyTask } = await import('./worker-py.js');
  return loadPyTask(source, name);
}
