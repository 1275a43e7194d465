/**
 * Main side: one 'abort' listener per AbortSignal, however many calls share the signal (10,000
 * `applyAsync` calls with one signal would otherwise add 10,000 listeners and trip Node's
 * MaxListenersExceededWarning).
 */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `onAbort` once when `signal` aborts; the returned function stops watching. */
export function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let callbacks = watchers.get(signal);
  if (callbacks === undefined) {
    const set = new Set<() => void>();
    callbacks = set;
    watchers.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const callback of [...set]) callback();
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(onAbort);
  return () => {
    set.delete(onAbort);
  };
}
