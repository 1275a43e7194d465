import type { Trace } from '@gilkit/scheduler';
import { type PaintResult, RunComparisonChart, type RunSummary, summarizeRun } from '@gilkit/ui';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { realThreadsUnavailable } from './capabilities.js';
import { PlainEditor } from './PlainEditor.js';
import { DEFAULT_PRESET, PRESETS, type Preset } from './presets.js';
import { policyLabel, ResultPanel, type RunView } from './ResultPanel.js';
import { RunFailedError, type RunHandle, Runner, RunStoppedError } from './runner.js';
import { SettingsForm } from './SettingsForm.js';
import { DEFAULT_SETTINGS, type PlaygroundState, type Settings } from './settings.js';
import { useTheme } from './theme.js';
import { type ParsedState, parseState, stateToHash } from './url-state.js';

const Editor = lazy(() => import('./Editor.js'));

const DEFAULT_STATE: PlaygroundState = {
  program: DEFAULT_PRESET.program,
  settings: { ...DEFAULT_SETTINGS, ...DEFAULT_PRESET.settings },
  compareWith: DEFAULT_PRESET.compareWith ?? null,
};

const MAX_HISTORY = 10;

interface Timing {
  /** From the Run click to the first frame after the timeline was drawn, ms. */
  clickToPaintMs: number;
  /** Time the worker spent in `runProgram` (simulating, or running the real threads), ms. */
  simulateMs: number;
  /** The run was on real threads (WorkerRuntime), not simulated. */
  real: boolean;
}

/** The preset showing `program`: the one last picked if it still matches, else the first that does. */
function presetFor(program: string, picked?: string): Preset | undefined {
  return (
    PRESETS.find((p) => p.id === picked && p.program === program) ??
    PRESETS.find((p) => p.program === program)
  );
}

function runLabel(preset: Preset | undefined, settings: Settings, trace: Trace): string {
  const threads = trace.threads.length;
  return `${preset ? preset.title : 'Custom program'} · ${policyLabel(settings.policy)} · ${settings.cores} cores · ${threads} threads`;
}

/** A link may ask for real threads where there are none: run simulated instead, and say so. */
function usable(parsed: ParsedState): ParsedState {
  const why = realThreadsUnavailable();
  if (parsed.state.settings.runtime !== 'workers' || why === null) return parsed;
  return {
    state: { ...parsed.state, settings: { ...parsed.state.settings, runtime: 'sim' } },
    problems: [...parsed.problems, `runtime "workers": ${why}`],
  };
}

/** Output shown per run is capped (a runaway print loop must not grow the page without bound). */
const MAX_OUTPUT_CHARS = 100_000;

function capOutput(text: string): string {
  if (text.length <= MAX_OUTPUT_CHARS) return text;
  const cut = text.length - MAX_OUTPUT_CHARS;
  return `[… ${cut} earlier characters not shown …]\n${text.slice(cut)}`;
}

export function App() {
  const initial = useMemo(() => usable(parseState(window.location.hash, DEFAULT_STATE)), []);
  const [program, setProgram] = useState(initial.state.program);
  const [settings, setSettings] = useState(initial.state.settings);
  const [compareWith, setCompareWith] = useState(initial.state.compareWith);
  const [pickedPreset, setPickedPreset] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string[]>(initial.problems);
  const [theme, setTheme] = useTheme();
  const [runs, setRuns] = useState<RunView[]>([]);
  const [history, setHistory] = useState<RunSummary[]>([]);
  const [baselineId, setBaselineId] = useState<string | undefined>(undefined);
  const [timing, setTiming] = useState<Timing | null>(null);
  const [copied, setCopied] = useState(false);
  const runner = useMemo(() => new Runner(), []);
  const active = useRef<RunHandle[]>([]);
  const measuring = useRef<{ t0: number; trace: Trace | null; simulateMs: number } | null>(null);
  const unavailable = realThreadsUnavailable();
  const running = runs.some((r) => r.status === 'running');
  // Compare mode draws both timelines on the longer run's scale.
  const commonScaleUs = Math.max(0, ...runs.map((r) => r.trace?.durationUs ?? 0));

  useEffect(() => {
    runner.warm();
    return () => runner.dispose();
  }, [runner]);

  // The URL always holds the current state, so copying the address bar shares it.
  useEffect(() => {
    const hash = stateToHash({ program, settings, compareWith });
    if (window.location.hash.slice(1) !== hash) window.history.replaceState(null, '', `#${hash}`);
  }, [program, settings, compareWith]);

  // A link pasted into this tab's address bar (only the fragment changes: no reload).
  useEffect(() => {
    // Only navigation fires hashchange (the replaceState above does not), so this is always a new link.
    const onHash = () => {
      const parsed = usable(parseState(window.location.hash, DEFAULT_STATE));
      setProgram(parsed.state.program);
      setSettings(parsed.state.settings);
      setCompareWith(parsed.state.compareWith);
      setNotice(parsed.problems);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const stop = useCallback(() => {
    for (const h of active.current) h.stop();
    active.current = [];
  }, []);

  const run = useCallback(() => {
    stop();
    const configs: Settings[] = compareWith ? [settings, { ...settings, policy: compareWith }] : [settings];
    const t0 = performance.now();
    measuring.current = { t0, trace: null, simulateMs: 0 };
    setTiming(null);
    const views: RunView[] = configs.map((s, i) => ({
      key: `${t0}-${i}`,
      settings: s,
      status: 'running',
      output: '',
      exception: null,
    }));
    setRuns(views);
    const update = (i: number, patch: (v: RunView) => RunView) =>
      setRuns((rs) => (rs[i]?.key === views[i].key ? rs.map((r, k) => (k === i ? patch(r) : r)) : rs));
    // Streamed output is gathered and shown once per frame: a print loop sends thousands of
    // messages a second, and one render each would freeze the page (and the Stop button).
    const pending = configs.map(() => '');
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      pending.forEach((text, i) => {
        if (text) update(i, (v) => ({ ...v, output: capOutput(v.output + text) }));
        pending[i] = '';
      });
    };
    const handles = configs.map((s, i) =>
      runner.run({ type: 'run', source: program, options: { ...s } }, (text) => {
        pending[i] += text;
        if (pending[i].length > 2 * MAX_OUTPUT_CHARS) pending[i] = pending[i].slice(-MAX_OUTPUT_CHARS);
        if (!scheduled) {
          scheduled = true;
          requestAnimationFrame(flush);
        }
      }),
    );
    active.current = handles;
    handles.forEach((h, i) => {
      h.result.then(
        (outcome) => {
          if (i === 0 && measuring.current?.t0 === t0) {
            measuring.current.trace = outcome.trace;
            measuring.current.simulateMs = outcome.elapsedMs;
          }
          pending[i] = '';
          update(i, (v) => ({
            ...v,
            status: 'done',
            output: capOutput(outcome.output),
            exception: outcome.exception,
            trace: outcome.trace,
          }));
        },
        (err: unknown) => {
          if (err instanceof RunStoppedError) update(i, (v) => ({ ...v, status: 'stopped' }));
          else {
            const partial = err instanceof RunFailedError ? err : undefined;
            update(i, (v) => ({
              ...v,
              status: 'failed',
              error: err instanceof Error ? err.message : String(err),
              output: capOutput(partial?.output ?? v.output),
              trace: partial?.trace,
            }));
          }
        },
      );
    });
    // History in the order of the columns, once every run of this click has ended.
    const label = presetFor(program, pickedPreset);
    void Promise.allSettled(handles.map((h) => h.result)).then((outcomes) => {
      const finished = outcomes.flatMap((o, i) =>
        o.status === 'fulfilled'
          ? [summarizeRun(views[i].key, runLabel(label, configs[i], o.value.trace), o.value.trace)]
          : [],
      );
      if (finished.length > 0) setHistory((hs) => [...hs, ...finished].slice(-MAX_HISTORY));
    });
  }, [compareWith, program, runner, settings, stop, pickedPreset]);

  const onPaint = useCallback((_r: PaintResult, trace: Trace) => {
    const m = measuring.current;
    if (!m || m.trace !== trace) return;
    measuring.current = null;
    // The canvas is drawn; the next frame is when it is on screen.
    requestAnimationFrame(() =>
      setTiming({
        clickToPaintMs: performance.now() - m.t0,
        simulateMs: m.simulateMs,
        real: trace.runtime === 'workers',
      }),
    );
  }, []);

  // Escape stops a run from anywhere on the page.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && active.current.length > 0) stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [stop]);

  const applyPreset = (id: string) => {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) return;
    setPickedPreset(preset.id);
    setProgram(preset.program);
    // A preset brings its own settings; the runtime and seed the visitor chose stay.
    setSettings((s) => ({ ...DEFAULT_SETTINGS, runtime: s.runtime, seed: s.seed, ...preset.settings }));
    setCompareWith(preset.compareWith ?? null);
  };

  const share = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      window.prompt('Copy this link:', window.location.href);
    }
  };

  const preset = presetFor(program, pickedPreset);
  const editorProps = {
    value: program,
    onChange: setProgram,
    onRun: run,
    dark: theme === 'dark',
    label: 'Python program',
  };

  return (
    <div className="app">
      <header className="top">
        <div>
          <h1>gilkit playground</h1>
          <p className="tagline">
            Run Python threads under a GIL in your browser and watch who holds the lock.
          </p>
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          aria-pressed={theme === 'dark'}
        >
          <span aria-hidden="true">{theme === 'dark' ? '☾' : '☀'}</span> Dark theme
        </button>
      </header>

      {notice.length > 0 && (
        <div className="notice" role="alert">
          <p>
            <strong>The link had problems; defaults were used instead for:</strong>
          </p>
          <ul>
            {notice.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          <button type="button" className="secondary" onClick={() => setNotice([])}>
            Dismiss
          </button>
        </div>
      )}

      <main className="layout">
        <section className="panel program" aria-labelledby="program-heading">
          <h2 id="program-heading">Program</h2>
          <div className="field">
            <label htmlFor="preset">Preset</label>
            <select id="preset" value={preset?.id ?? ''} onChange={(e) => applyPreset(e.target.value)}>
              {!preset && <option value="">Custom program</option>}
              {PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          </div>
          {preset && <p className="story">{preset.story}</p>}
          <Suspense fallback={<PlainEditor {...editorProps} />}>
            <Editor {...editorProps} />
          </Suspense>
          <SettingsForm
            settings={settings}
            onChange={setSettings}
            compareWith={compareWith}
            onCompareChange={setCompareWith}
            realThreadsUnavailable={unavailable}
          />
          <div className="actions">
            <button type="button" className="primary" onClick={run} aria-keyshortcuts="Control+Enter">
              {compareWith ? 'Run both' : 'Run'}
            </button>
            <button type="button" onClick={stop} disabled={!running} aria-keyshortcuts="Escape">
              Stop
            </button>
            <button type="button" className="secondary" onClick={share}>
              {copied ? 'Link copied' : 'Copy link'}
            </button>
            <span className="muted small">Ctrl+Enter runs, Esc stops</span>
          </div>
          <p
            className="muted small"
            data-testid="timing"
            data-click-to-paint-ms={timing ? timing.clickToPaintMs.toFixed(1) : undefined}
            data-simulate-ms={timing ? timing.simulateMs.toFixed(1) : undefined}
            aria-live="polite"
          >
            {timing
              ? `${timing.real ? 'Ran on real threads' : 'Simulated'} in ${timing.simulateMs.toFixed(0)} ms; timeline on screen ${timing.clickToPaintMs.toFixed(0)} ms after the click.`
              : running
                ? 'Running…'
                : ''}
          </p>
        </section>

        <section className="panel results" aria-labelledby="results-heading">
          <h2 id="results-heading">{compareWith ? 'Compare' : 'Result'}</h2>
          {runs.length === 0 ? (
            <p className="muted">
              Press Run to simulate the program. The timeline shows each thread: running (blue), waiting for
              the GIL (orange), blocked (grey), native (purple).
            </p>
          ) : (
            <div className={runs.length > 1 ? 'compare-grid' : ''}>
              {runs.map((r, i) => (
                <ResultPanel
                  key={r.key}
                  run={r}
                  theme={theme}
                  onPaint={i === 0 ? onPaint : undefined}
                  scaleUs={runs.length > 1 ? commonScaleUs : undefined}
                />
              ))}
            </div>
          )}
          <div className="history">
            <div className="result-head">
              <h2>Run history</h2>
              <div className="history-tools">
                {history.length > 1 && (
                  <label>
                    Baseline{' '}
                    <select
                      value={baselineId ?? history[0].id}
                      onChange={(e) => setBaselineId(e.target.value)}
                    >
                      {history.map((h, i) => (
                        <option key={h.id} value={h.id}>
                          #{i + 1} {h.label}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setHistory([])}
                  disabled={history.length === 0}
                >
                  Clear
                </button>
              </div>
            </div>
            <RunComparisonChart
              runs={history.map((h, i) => ({ ...h, label: `#${i + 1} ${h.label}` }))}
              baselineId={baselineId}
              theme={theme}
              title="Wall time of recent runs (shorter is faster)"
            />
          </div>
        </section>
      </main>
      <footer className="muted small">
        Simulated runs are deterministic for a given seed. Built with <code>@gilkit/scheduler</code> and{' '}
        <code>@gilkit/ui</code>.
      </footer>
    </div>
  );
}
