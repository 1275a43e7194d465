/**
 * Whether a real-threads run (WorkerRuntime over SharedArrayBuffer, one Web Worker per thread) can
 * be offered, and if not, why. Real threads need a cross-origin isolated page (COOP + COEP, which
 * the dev and preview servers send), SharedArrayBuffer and Web Workers.
 */
export function realThreadsUnavailable(): string | null {
  if (typeof crossOriginIsolated === 'undefined' || !crossOriginIsolated) {
    return 'this page is not cross-origin isolated, so SharedArrayBuffer is unavailable.';
  }
  if (typeof SharedArrayBuffer === 'undefined') return 'this browser has no SharedArrayBuffer.';
  if (typeof Worker === 'undefined') return 'this browser has no Web Workers.';
  return null;
}
