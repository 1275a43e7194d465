/**
 * Main side: the public task descriptors and their validation into `WireTask`.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from '@gilkit/vm';
import { PoolTypeError, PoolValueError } from './errors.js';
import type { WireTask } from './protocol.js';

/**
 * A JS function exported by a module, as piscina takes it: `module` is a `file:` URL or an absolute
 * path, `name` the export (default `'default'`). Arguments and results cross by structured clone.
 */
export interface JsTask {
  readonly module: URL | string;
  readonly name?: string;
}

/**
 * A MiniPy function: `source` is executed once per worker (on that worker's own heap, under its own
 * GIL) and the function `name` it defines is called per item. Arguments and results are plain data.
 */
export interface PyTask {
  readonly source: string;
  readonly name: string;
}

/** What the pool runs: a JS module function or a MiniPy function. */
export type Task = JsTask | PyTask;

/** Tasks already checked (callers usually pass the same object many times, e.g. to applyAsync). */
const checked = new WeakMap<object, WireTask>();

/** Checks `task` and turns it into the form the worker receives; `what` names the argument in errors. */
export function toWireTask(task: unknown, what = 'task'): WireTask {
  const known = typeof task === 'object' && task !== null ? checked.get(task) : undefined;
  if (known !== undefined) return known;
  const wire = checkTask(task, what);
  checked.set(task as object, wire);
  return wire;
}

function checkTask(task: unknown, what: string): WireTask {
  if (typeof task !== 'object' || task === null) {
    throw new PoolTypeError(`${what} must be { module, name } or { source, name }, got ${describe(task)}`);
  }
  const t = task as Record<string, unknown>;
  if ('source' in t) {
    if (typeof t.source !== 'string') throw new PoolTypeError(`${what}.source must be a string`);
    if (typeof t.name !== 'string' || t.name === '') {
      throw new PoolTypeError(`${what}.name must be the name of a function defined by ${what}.source`);
    }
    // A syntax error raises here, at the call, not once per item in the workers.
    compile(t.source, '<task>');
    return { kind: 'py', source: t.source, name: t.name };
  }
  const name = t.name ?? 'default';
  if (typeof name !== 'string' || name === '')
    throw new PoolTypeError(`${what}.name must be a non-empty string`);
  return { kind: 'js', module: moduleUrl(t.module, what), name };
}

function moduleUrl(module: unknown, what: string): string {
  let url: URL;
  if (module instanceof URL) {
    url = module;
  } else if (typeof module === 'string' && module.startsWith('file:')) {
    url = new URL(module);
  } else if (typeof module === 'string' && isAbsolute(module)) {
    url = pathToFileURL(module);
  } else {
    throw new PoolTypeError(
      `${what}.module must be a file: URL or an absolute path, got ${describe(module)}`,
    );
  }
  if (url.protocol !== 'file:')
    throw new PoolValueError(`${what}.module must be a file: URL, got ${url.href}`);
  if (!existsSync(fileURLToPath(url))) throw new PoolValueError(`${what}.module does not exist: ${url.href}`);
  return url.href;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}
