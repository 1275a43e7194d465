// A Node worker dressed as a dedicated Web Worker's global scope (postMessage, onmessage), so the
// Web Worker entry (dist/workers/worker-web.js) runs unchanged on a real thread in tests. Messages
// that arrive while the entry loads are queued, as a browser queues them for a loading worker.
import { parentPort, workerData } from 'node:worker_threads';

const early = [];
globalThis.postMessage = (m) => parentPort.postMessage(m);
parentPort.on('message', (data) => {
  if (globalThis.onmessage) globalThis.onmessage({ data });
  else early.push(data);
});
await import(workerData.url);
for (const data of early.splice(0)) globalThis.onmessage?.({ data });
