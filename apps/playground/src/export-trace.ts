import type { Trace } from '@gilkit/scheduler';

/**
 * Saves a trace as Chrome Trace Event JSON (opens in Perfetto and chrome://tracing). The exporter is
 * loaded on demand: most visits never export.
 */
export async function downloadChromeTrace(trace: Trace, fileName: string): Promise<void> {
  const { toChromeTrace } = await import('@gilkit/scheduler');
  const blob = new Blob([JSON.stringify(toChromeTrace(trace))], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled; revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
