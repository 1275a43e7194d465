/** What the visitor chooses besides the program. Mirrors `runProgram`'s options. */
export interface Settings {
  runtime: Runtime;
  policy: Policy;
  cores: number;
  switchIntervalMs: number;
  seed: number;
}

/** `sim`: SimRuntime in a Web Worker (always works); `workers`: real threads (WorkerRuntime). */
export type Runtime = 'sim' | 'workers';

/** GIL policies a visitor can pick. */
export type Policy = 'cpython' | 'legacy' | 'fifo' | 'free-threaded' | 'per-interpreter';

export const POLICIES: readonly { value: Policy; label: string }[] = [
  { value: 'cpython', label: 'CPython GIL (3.2+)' },
  { value: 'legacy', label: 'Legacy GIL (Python 2)' },
  { value: 'fifo', label: 'FIFO GIL' },
  { value: 'free-threaded', label: 'Free-threaded (no GIL)' },
  { value: 'per-interpreter', label: 'Per-interpreter GIL' },
];

export const RUNTIMES: readonly { value: Runtime; label: string }[] = [
  { value: 'sim', label: 'Simulated (deterministic)' },
  { value: 'workers', label: 'Real threads (Web Workers)' },
];

/** Allowed ranges; the URL parser and the form use the same ones. */
export const LIMITS = {
  cores: { min: 1, max: 16 },
  switchIntervalMs: { min: 0.1, max: 1000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
  /** Longest program accepted from a URL, in characters. */
  programChars: 20_000,
} as const;

export const DEFAULT_SETTINGS: Settings = {
  runtime: 'sim',
  policy: 'cpython',
  cores: 4,
  switchIntervalMs: 5,
  seed: 1,
};

/** The whole shareable state of the page. */
export interface PlaygroundState {
  program: string;
  settings: Settings;
  /** Second policy of Compare mode, or null when Compare is off. */
  compareWith: Policy | null;
}

export function isPolicy(v: unknown): v is Policy {
  return POLICIES.some((p) => p.value === v);
}

export function isRuntime(v: unknown): v is Runtime {
  return RUNTIMES.some((r) => r.value === v);
}
