/**
 * Whether a real-threads run (WorkerRuntime over SharedArrayBuffer) can be offered, and if not, why.
 * Real threads need a cross-origin isolated page and a browser build of WorkerRuntime.
 */
export function realThreadsUnavailable(): string | null {
  if (typeof crossOriginIsolated === 'undefined' || !crossOriginIsolated) {
    return 'this page is not cross-origin isolated, so SharedArrayBuffer is unavailable.';
  }
  return '@gilkit/scheduler does not offer WorkerRuntime in browsers yet; runs are simulated.';
}
