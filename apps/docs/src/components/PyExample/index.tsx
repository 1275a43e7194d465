import { useColorMode } from '@docusaurus/theme-common';
import type { Trace, TracePolicy } from '@gilkit/scheduler';
import { StatsTable, Timeline } from '@gilkit/ui';
import { type KeyboardEvent, type ReactNode, useId, useMemo, useRef, useState } from 'react';
import { simOptions } from '../../lib/sim-options.mjs';
import { usePlaygroundUrl } from '../PlaygroundLink';
import { playgroundHref } from '../PlaygroundLink/encode';
import { codeFromChildren, threadsOf, withThreads } from './code';
import styles from './styles.module.css';

/** Props of {@link PyExample}. Settings are initial values; the reader can change them. */
export interface PyExampleProps {
  /** A fenced ```python block: the MiniPy program. A `THREADS = N` line gets a Threads control. */
  children: ReactNode;
  title?: string;
  /** GIL policy (default `cpython`). */
  policy?: TracePolicy;
  /** Switch interval in milliseconds (default 5, CPython's default). */
  interval?: number;
  /** Virtual cores (default 2, like the reference machine). */
  cores?: number;
  /** Simulator seed (default 1): the same settings always give the same run. */
  seed?: number;
  /** Policies offered in the picker (default: all). */
  policies?: TracePolicy[];
  /**
   * The program's result as computed at build time (JSON of `{ output, error?, trace }`), set by the
   * `precompute-examples` remark plugin, never by hand: shown until the reader runs the program.
   */
  initialResult?: string;
  /**
   * Text the program's output must contain. Not shown: the docs test suite runs every example and
   * checks it, so an example that stops working fails the build instead of rotting.
   */
  expect?: string;
}

const ALL_POLICIES: TracePolicy[] = ['cpython', 'legacy', 'fifo', 'free-threaded', 'per-interpreter'];
const POLICY_LABELS: Record<TracePolicy, string> = {
  cpython: 'CPython 3.2+ GIL',
  legacy: 'Python 2 GIL (ticks)',
  fifo: 'FIFO hand-off GIL',
  'free-threaded': 'Free-threaded (no GIL)',
  'per-interpreter': 'One GIL per interpreter',
  processes: 'Processes',
};
const INTERVALS_MS = [0.001, 0.01, 0.1, 0.5, 1, 5, 10, 50];

/** Describes the settings of a run, e.g. `cpython, 5 ms switch interval, 2 cores`. */
function describeSettings(policy: TracePolicy, interval: number, cores: number): string {
  return `${policy}, ${interval} ms switch interval, ${cores} core${cores === 1 ? '' : 's'}`;
}

/** The build-time result handed over by the remark plugin, as a RunState. */
function initialRun(json: string | undefined, policy: TracePolicy, interval: number, cores: number) {
  if (!json) return undefined;
  const r = JSON.parse(json) as { output: string; error?: string; trace: Trace };
  const state: RunState = {
    output: r.output,
    error: r.error,
    trace: r.trace,
    ran: `Result of the program as written (${describeSettings(policy, interval, cores)}), computed when this site was built. Press Run to run it in your browser.`,
  };
  return state;
}

interface RunState {
  output: string;
  error?: string;
  trace?: Trace;
  /** Settings the shown result was produced with. */
  ran: string;
}

/**
 * An editable MiniPy program that runs in the page on gilkit's simulated runtime (virtual clock,
 * virtual cores: deterministic, and no SharedArrayBuffer needed), showing its output, a timeline
 * of its threads and per-thread statistics.
 */
export default function PyExample(props: PyExampleProps): ReactNode {
  const initialCode = useMemo(() => codeFromChildren(props.children), [props.children]);
  const [code, setCode] = useState(initialCode);
  const [policy, setPolicy] = useState<TracePolicy>(props.policy ?? 'cpython');
  const [interval, setInterval] = useState(props.interval ?? 5);
  const [cores, setCores] = useState(props.cores ?? 2);
  const [running, setRunning] = useState(false);
  const initial = useMemo(
    () => initialRun(props.initialResult, props.policy ?? 'cpython', props.interval ?? 5, props.cores ?? 2),
    [props.initialResult, props.policy, props.interval, props.cores],
  );
  const [result, setResult] = useState<RunState | undefined>(initial);
  const escaped = useRef(false);
  const { colorMode } = useColorMode();
  const playgroundUrl = usePlaygroundUrl();
  const id = useId();
  const threads = threadsOf(code);
  const policies = props.policies ?? ALL_POLICIES;
  const intervals = INTERVALS_MS.includes(interval)
    ? INTERVALS_MS
    : [...INTERVALS_MS, interval].sort((a, b) => a - b);

  async function run() {
    setRunning(true);
    const ran = `Ran with ${describeSettings(policy, interval, cores)}`;
    try {
      // Loaded on first Run: the simulator is not needed to read the page.
      const { runProgram } = await import('@gilkit/scheduler');
      // The simulation runs synchronously on this thread: let the browser paint "Running…" first.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const r = await runProgram(code, {
        ...simOptions(policy, cores, interval, props.seed),
        runtime: 'sim',
      });
      setResult({ output: r.output, error: r.exception?.traceback, trace: r.trace, ran });
    } catch (e) {
      // RunLimitError and DeadlockError carry what the program printed and did until then.
      const partial = e as { output?: unknown; trace?: Trace };
      setResult({
        output: typeof partial.output === 'string' ? partial.output : '',
        error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
        trace: partial.trace,
        ran,
      });
    } finally {
      setRunning(false);
    }
  }

  // Tab indents (Python needs it); Escape then Tab leaves the editor, so the keyboard is never trapped.
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Escape') {
      escaped.current = true;
      return;
    }
    if (e.key === 'Tab' && !escaped.current && !e.shiftKey) {
      e.preventDefault();
      const t = e.currentTarget;
      const { selectionStart: s, selectionEnd: end } = t;
      const next = `${code.slice(0, s)}    ${code.slice(end)}`;
      setCode(next);
      requestAnimationFrame(() => t.setSelectionRange(s + 4, s + 4));
    } else if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void run();
    }
    escaped.current = false;
  }

  const lines = code.split('\n').length;
  return (
    <section className={styles.example} data-py-example="" aria-labelledby={`${id}-title`}>
      <div className={styles.header}>
        <strong id={`${id}-title`}>{props.title ?? 'Run it'}</strong>
        <span className={styles.hint} id={`${id}-hint`}>
          MiniPy on the simulated runtime · Ctrl+Enter runs · Tab indents, Esc then Tab leaves
        </span>
      </div>
      <textarea
        className={styles.editor}
        aria-label="MiniPy program"
        aria-describedby={`${id}-hint`}
        spellCheck={false}
        wrap="off"
        autoCapitalize="off"
        autoCorrect="off"
        value={code}
        rows={Math.min(Math.max(lines + 1, 4), 28)}
        onChange={(e) => setCode(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className={styles.controls}>
        {threads !== undefined && (
          <label>
            Threads{' '}
            <input
              type="number"
              min={1}
              max={8}
              value={threads}
              onChange={(e) => {
                const n = Math.trunc(Number(e.target.value));
                if (n >= 1 && n <= 8) setCode(withThreads(code, n));
              }}
            />
          </label>
        )}
        <label>
          Policy{' '}
          <select value={policy} onChange={(e) => setPolicy(e.target.value as TracePolicy)}>
            {policies.map((p) => (
              <option key={p} value={p}>
                {POLICY_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Switch interval{' '}
          <select value={interval} onChange={(e) => setInterval(Number(e.target.value))}>
            {intervals.map((ms) => (
              <option key={ms} value={ms}>
                {ms} ms
              </option>
            ))}
          </select>
        </label>
        <label>
          Cores{' '}
          <select value={cores} onChange={(e) => setCores(Number(e.target.value))}>
            {[1, 2, 4, 8].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--primary button--sm" onClick={run} disabled={running}>
          {running ? 'Running…' : 'Run'}
        </button>
        <button
          type="button"
          className="button button--secondary button--sm"
          onClick={() => {
            setCode(initialCode);
            setPolicy(props.policy ?? 'cpython');
            setInterval(props.interval ?? 5);
            setCores(props.cores ?? 2);
            setResult(initial);
          }}
          disabled={running}
        >
          Reset
        </button>
        {playgroundUrl && (
          <a
            href={playgroundHref(playgroundUrl, {
              program: code,
              policy,
              cores,
              switchIntervalMs: interval,
              seed: props.seed ?? 1,
            })}
          >
            Open in playground
          </a>
        )}
      </div>
      <div aria-live="polite">
        {result && (
          <div className={styles.result} data-py-result="">
            <div className={styles.ran}>{result.ran}</div>
            <pre className={styles.output} data-py-output="">
              {result.output}
              {result.error && <span className={styles.error}>{result.error}</span>}
              {!result.output && !result.error && <span className={styles.hint}>(no output)</span>}
            </pre>
            {result.trace && (
              <>
                <Timeline trace={result.trace} theme={colorMode} labelWidth={128} />
                <StatsTable trace={result.trace} theme={colorMode} style={{ marginTop: 12 }} />
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
