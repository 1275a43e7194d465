/// <reference lib="webworker" />
/**
 * The run worker: runs one program with `runProgram` off the main thread, so the page stays
 * responsive and Stop can terminate a program that never ends.
 */
import { runProgram, type Trace } from '@gilkit/scheduler';
import type { PythonException, RunRequest, StopRequest, WorkerMessage } from './protocol.js';

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

/**
 * Streamed output, sent at most every {@link STDOUT_EVERY_MS}. The simulation runs synchronously, so
 * no timer can fire meanwhile: the clock is checked on each write instead. Without this, a print
 * loop would post a message per line, millions a second, and flood the page's event loop.
 */
const STDOUT_EVERY_MS = 50;
/** Only the tail of a long burst is sent; the page shows the last 100,000 characters anyway. */
const STDOUT_MAX_CHARS = 100_000;

const stdout = {
  buffer: '',
  last: 0,
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 2 * STDOUT_MAX_CHARS) this.buffer = this.buffer.slice(-STDOUT_MAX_CHARS);
    const now = performance.now();
    if (now - this.last >= STDOUT_EVERY_MS) {
      this.last = now;
      this.flush();
    }
  },
  flush(): void {
    if (this.buffer) post({ type: 'stdout', text: this.buffer });
    this.buffer = '';
  },
};

/** Aborts the real-threads run in progress (a simulated run never lets a message in). */
let current: AbortController | null = null;

self.onmessage = async (event: MessageEvent<RunRequest | StopRequest>) => {
  if (event.data.type === 'stop') {
    // Aborting terminates every thread worker synchronously (WorkerRuntime's abort listener).
    current?.abort(new Error('stopped by the user'));
    current = null;
    post({ type: 'stopped' });
    return;
  }
  const { source, options } = event.data;
  const controller = new AbortController();
  current = controller;
  stdout.buffer = '';
  stdout.last = performance.now();
  const t0 = performance.now();
  try {
    const result = await runProgram(source, {
      ...options,
      stdout: (text: string) => stdout.write(text),
      signal: controller.signal,
    });
    stdout.flush();
    post({
      type: 'done',
      output: result.output,
      exception: toPythonException(result.exception),
      trace: result.trace,
      elapsedMs: performance.now() - t0,
    });
    if (current === controller) current = null;
  } catch (err) {
    if (controller.signal.aborted) return; // the page asked for it and no longer listens
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
