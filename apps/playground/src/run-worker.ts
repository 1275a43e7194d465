/// <reference lib="webworker" />
/**
 * The run worker: runs one program with `runProgram` off the main thread, so the page stays
 * responsive and Stop can terminate a program that never ends.
 */
import { runProgram, type Trace } from '@gilkit/scheduler';
import type { PythonException, RunRequest, WorkerMessage } from './protocol.js';

declare const self: DedicatedWorkerGlobalScope;

function post(msg: WorkerMessage): void {
  self.postMessage(msg);
}

/** Normalises whatever the runtime reports as an exception into the protocol's shape. */
function toPythonException(e: unknown): PythonException | null {
  if (e === null || e === undefined) return null;
  if (typeof e === 'object') {
    const o = e as Record<string, unknown>;
    const type = typeof o.type === 'string' ? o.type : typeof o.name === 'string' ? o.name : 'Exception';
    const message = typeof o.message === 'string' ? o.message : String(e);
    const traceback = typeof o.traceback === 'string' ? o.traceback : undefined;
    return traceback === undefined ? { type, message } : { type, message, traceback };
  }
  return { type: 'Exception', message: String(e) };
}

function isTrace(v: unknown): v is Trace {
  return typeof v === 'object' && v !== null && (v as { version?: unknown }).version === 1;
}

self.onmessage = async (event: MessageEvent<RunRequest>) => {
  const { source, options } = event.data;
  const t0 = performance.now();
  try {
    const result = await runProgram(source, {
      ...options,
      stdout: (text: string) => post({ type: 'stdout', text }),
    });
    post({
      type: 'done',
      output: result.output,
      exception: toPythonException(result.exception),
      trace: result.trace,
      elapsedMs: performance.now() - t0,
    });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    // RunLimitError and DeadlockError carry what the program did before it stopped.
    const partial = e as Error & { output?: unknown; trace?: unknown };
    post({
      type: 'failed',
      name: e.name,
      message: e.message,
      output: typeof partial.output === 'string' ? partial.output : undefined,
      trace: isTrace(partial.trace) ? partial.trace : undefined,
    });
  }
};

post({ type: 'ready' });
