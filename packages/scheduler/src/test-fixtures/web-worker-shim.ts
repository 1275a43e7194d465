/**
 * A browser-shaped `Worker` built on Node worker_threads, for testing the Web Worker platform with
 * real threads in Node: messages, `error` events for uncaught errors, `terminate()`. Node 20 has no
 * Web Locks, so deaths are reported by `error` events and `done` messages only.
 */
import { Worker as NodeWorker } from 'node:worker_threads';
import type { WebWorkerLike } from '../workers/web-types.js';

const BOOTSTRAP = new URL('./web-worker-bootstrap.mjs', import.meta.url);

export class ShimWorker implements WebWorkerLike {
  static live = 0;
  static created = 0;
  onmessage: WebWorkerLike['onmessage'] = null;
  onerror: WebWorkerLike['onerror'] = null;
  readonly #w: NodeWorker;

  constructor(url: URL, _options: { type: 'module' }) {
    // Tests import the platform from src/; its worker script is built into dist/.
    const script = url.href.replace('/src/workers/', '/dist/workers/');
    this.#w = new NodeWorker(BOOTSTRAP, { workerData: { url: script } });
    ShimWorker.live++;
    ShimWorker.created++;
    this.#w.on('message', (data) => this.onmessage?.({ data }));
    this.#w.on('error', (e) => this.onerror?.({ message: e.message, preventDefault() {} }));
    this.#w.on('exit', () => ShimWorker.live--);
  }

  postMessage(message: unknown): void {
    this.#w.postMessage(message);
  }

  terminate(): void {
    void this.#w.terminate();
  }
}
