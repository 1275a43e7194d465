import { type ReactNode, useEffect, useState } from 'react';
import styles from './styles.module.css';

/** What {@link Output} shows: a value, a promise of one, or a (possibly async) function producing one. */
export type OutputSource = unknown | Promise<unknown> | (() => unknown);

type State = { status: 'pending' } | { status: 'ok'; value: unknown } | { status: 'error'; error: unknown };

/** Text for a result: strings as they are, everything else as indented JSON (bigints and Maps too). */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (v instanceof Error) return `${v.name}: ${v.message}`;
      return v;
    },
    2,
  );
}

/**
 * Shows the result of non-React code in a live code block: `<Output value={() => heap.stats()} />`.
 * Functions are called once per render of the block; promises are awaited; errors are shown with
 * their name, as a reader would see them in a console.
 */
export default function Output({ value, label }: { value: OutputSource; label?: string }): ReactNode {
  const [state, setState] = useState<State>({ status: 'pending' });
  useEffect(() => {
    let live = true;
    setState({ status: 'pending' });
    Promise.resolve()
      .then(() => (typeof value === 'function' ? (value as () => unknown)() : value))
      .then(
        (v) => live && setState({ status: 'ok', value: v }),
        (error: unknown) => live && setState({ status: 'error', error }),
      );
    return () => {
      live = false;
    };
  }, [value]);
  return (
    <div className={styles.output} data-live-output="">
      {label && <div className={styles.label}>{label}</div>}
      {state.status === 'pending' && (
        <pre className={styles.pending} data-pending="">
          …
        </pre>
      )}
      {state.status === 'ok' && <pre>{formatValue(state.value)}</pre>}
      {state.status === 'error' && (
        <pre className={styles.error} data-error="">
          {state.error instanceof Error ? `${state.error.name}: ${state.error.message}` : String(state.error)}
        </pre>
      )}
    </div>
  );
}
