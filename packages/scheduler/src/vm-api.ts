/**
 * The parts of @gilkit/vm the runtimes use, looked up at run time. The vm is being built in
 * parallel; looking its exports up here keeps this package compiling against any version that has
 * the host interface, and fails with {@link VmUnavailableError} (not a crash) if something is missing.
 */

import type { Host, PyCallable, PyValue, VmThread } from '@gilkit/vm';
import * as vm from '@gilkit/vm';
import { VmUnavailableError } from './errors.js';

/** `new Interpreter({ host, filename })` as documented in packages/vm/src/host.ts. */
export interface VmInterpreter {
  mainThread(source: string): VmThread;
  threadFor(target: PyCallable, args: PyValue[], options: { id: number; name: string }): VmThread;
  /** A thread calling global function `name` with JS arguments. */
  threadForGlobal(name: string, jsArgs: readonly unknown[], options: { id: number; name: string }): VmThread;
}

export interface VmApi {
  Interpreter: new (options: { host: Host; filename?: string; jit?: boolean }) => VmInterpreter;
  compile(source: string, filename?: string): unknown;
  dis(code: unknown): string;
}

/** Returns the vm's runtime API or throws {@link VmUnavailableError} naming what is missing. */
export function vmApi(): VmApi {
  const m = vm as unknown as Partial<VmApi>;
  for (const name of ['Interpreter', 'compile', 'dis'] as const) {
    if (typeof m[name] !== 'function') throw new VmUnavailableError(name);
  }
  return m as VmApi;
}

/** The sentinel a suspending host returns from `block()`. */
export const SUSPEND: symbol = vm.SUSPEND;

/** Python-style text for a compile error thrown by the vm (`PySyntaxError` and friends). */
export function compileErrorInfo(
  e: unknown,
  source: string,
): { type: string; message: string; traceback: string } | undefined {
  const c = e as { pyType?: string; msg?: string; lineno?: number; col?: number; filename?: string };
  if (typeof c?.pyType !== 'string' || typeof c.lineno !== 'number') return undefined;
  const line = source.split('\n')[c.lineno - 1] ?? '';
  const trimmed = line.trimStart();
  const caret = Math.max(0, (c.col ?? 1) - 1 - (line.length - trimmed.length));
  const tb =
    `  File "${c.filename ?? '<string>'}", line ${c.lineno}\n` +
    `    ${trimmed}\n    ${' '.repeat(caret)}^\n${c.pyType}: ${c.msg ?? ''}\n`;
  return { type: c.pyType, message: c.msg ?? '', traceback: tb };
}
