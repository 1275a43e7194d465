/**
 * Node worker entry of the WorkerRuntime. A worker runs one MiniPy thread at a time: each `run`
 * message carries a thread's init (see thread-main.ts). When the thread has ended the worker says
 * `released` and waits for the next one, so a program that starts threads gets a worker whose
 * eval loop V8 has already compiled (platform-node.ts keeps the idle ones). `close` ends it.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerCommand, WorkerInit, WorkerMessage } from './protocol.js';
import { runThread } from './thread-main.js';

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
let current: WorkerInit | undefined;

/** Fault injection: die where the thread stands (GIL held), silently or by an uncaught error. */
function crash(): never {
  if (current?.crashHow === 'throw')
    throw new Error('fault injection: the worker crashed while holding the GIL');
  process.exit(3);
}

port.on('message', (m: WorkerCommand) => {
  if (m.type === 'close') {
    port.close();
    return;
  }
  current = m.init;
  runThread(m.init, post, crash);
  current = undefined;
  post({ type: 'released', id: m.init.id });
});
