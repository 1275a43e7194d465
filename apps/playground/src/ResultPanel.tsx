import type { Trace } from '@gilkit/scheduler';
import { type PaintResult, StatsTable, Timeline } from '@gilkit/ui';
import { downloadChromeTrace } from './export-trace.js';
import type { PythonException } from './protocol.js';
import { POLICIES, type Settings } from './settings.js';
import type { Theme } from './theme.js';

/** One column of results: what a run printed, its timeline and its numbers. */
export interface RunView {
  key: string;
  settings: Settings;
  status: 'running' | 'done' | 'stopped' | 'failed';
  output: string;
  exception: PythonException | null;
  /** Why the run failed (not a Python exception: the runtime or the worker). */
  error?: string;
  trace?: Trace;
}

export interface ResultPanelProps {
  run: RunView;
  /** Common time scale of side-by-side timelines (µs), so a faster run looks shorter. */
  scaleUs?: number;
  theme: Theme;
  onPaint?: (result: PaintResult, trace: Trace) => void;
}

export function policyLabel(policy: string): string {
  return POLICIES.find((p) => p.value === policy)?.label ?? policy;
}

export function ResultPanel({ run, theme, onPaint, scaleUs }: ResultPanelProps) {
  const title = `${policyLabel(run.settings.policy)} · ${run.settings.cores} core${run.settings.cores === 1 ? '' : 's'}`;
  return (
    <section
      className="result"
      aria-label={`Result: ${title}`}
      data-result={run.settings.policy}
      data-status={run.status}
    >
      <h3>{title}</h3>
      <h4>Output</h4>
      <pre className="output" aria-live="polite" data-testid="output">
        {run.output}
        {run.exception && (
          <span className="exception">
            {run.exception.traceback ?? `${run.exception.type}: ${run.exception.message}\n`}
          </span>
        )}
        {run.status === 'running' && <span className="muted">Running…</span>}
        {run.status === 'stopped' && <span className="muted">Stopped.</span>}
        {run.error && <span className="exception">Run failed: {run.error}</span>}
        {run.status === 'done' && !run.output && !run.exception && <span className="muted">(no output)</span>}
      </pre>
      {run.trace && (
        <>
          <div className="result-head">
            <h4>Timeline</h4>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                if (run.trace)
                  void downloadChromeTrace(run.trace, `gilkit-${run.settings.policy}-trace.json`);
              }}
            >
              Export Chrome trace
            </button>
          </div>
          <Timeline trace={run.trace} theme={theme} onPaint={onPaint} minDurationUs={scaleUs} />
          <h4>Statistics</h4>
          <StatsTable
            trace={run.trace}
            theme={theme}
            caption={`Per-thread statistics (${policyLabel(run.settings.policy)})`}
          />
        </>
      )}
    </section>
  );
}
