import {
  DEFAULT_SETTINGS,
  isPolicy,
  isRuntime,
  LIMITS,
  type PlaygroundState,
  type Settings,
} from './settings.js';

/**
 * The page state lives in the URL fragment (`#code=...&policy=...`), so a link reproduces a run and
 * nothing is sent to a server. The program is base64url of its UTF-8 text; everything else is plain.
 *
 * A URL is untrusted input: every field is validated, an invalid one falls back to its default and
 * is named in `problems`, so the page can say what it ignored instead of failing or running
 * something the visitor did not see.
 */

/** Result of {@link parseState}. */
export interface ParsedState {
  state: PlaygroundState;
  /** What was wrong with the URL, one entry per ignored field. Empty when all was well. */
  problems: string[];
}

/** Longest fragment read at all; longer ones are ignored whole (and not decoded). */
const MAX_HASH_CHARS = 64_000;

export function encodeProgram(program: string): string {
  const bytes = new TextEncoder().encode(program);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @throws Error when `text` is not base64url of valid UTF-8. */
export function decodeProgram(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Serialises the state to a fragment (without the `#`). */
export function stateToHash(state: PlaygroundState): string {
  const p = new URLSearchParams();
  p.set('code', encodeProgram(state.program));
  p.set('runtime', state.settings.runtime);
  p.set('policy', state.settings.policy);
  p.set('cores', String(state.settings.cores));
  p.set('interval', String(state.settings.switchIntervalMs));
  p.set('seed', String(state.settings.seed));
  if (state.compareWith) p.set('compare', state.compareWith);
  return p.toString();
}

function numberIn(raw: string, min: number, max: number, integer: boolean): number | null {
  if (!/^-?\d+(\.\d+)?$/.test(raw)) return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return null;
  return n;
}

/**
 * Reads the state from a fragment (with or without `#`). An empty fragment gives the defaults
 * without problems.
 */
export function parseState(hash: string, defaults: PlaygroundState): ParsedState {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const problems: string[] = [];
  if (raw === '') return { state: defaults, problems };
  if (raw.length > MAX_HASH_CHARS) {
    return { state: defaults, problems: [`the link is too long (${raw.length} characters)`] };
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    return { state: defaults, problems: ['the link could not be read'] };
  }
  const settings: Settings = { ...defaults.settings };
  let program = defaults.program;

  const code = params.get('code');
  if (code !== null) {
    try {
      const decoded = decodeProgram(code);
      if (decoded.length > LIMITS.programChars)
        problems.push(`program longer than ${LIMITS.programChars} characters`);
      else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(decoded))
        problems.push('program contains control characters');
      else program = decoded;
    } catch {
      problems.push('program is not valid (broken base64 or UTF-8)');
    }
  }
  const runtime = params.get('runtime');
  if (runtime !== null) {
    if (isRuntime(runtime)) settings.runtime = runtime;
    else problems.push(`unknown runtime "${runtime.slice(0, 40)}"`);
  }
  const policy = params.get('policy');
  if (policy !== null) {
    if (isPolicy(policy)) settings.policy = policy;
    else problems.push(`unknown policy "${policy.slice(0, 40)}"`);
  }
  const numeric: [string, 'cores' | 'switchIntervalMs' | 'seed', boolean][] = [
    ['cores', 'cores', true],
    ['interval', 'switchIntervalMs', false],
    ['seed', 'seed', true],
  ];
  for (const [key, field, integer] of numeric) {
    const v = params.get(key);
    if (v === null) continue;
    const n = numberIn(v, LIMITS[field].min, LIMITS[field].max, integer);
    if (n === null)
      problems.push(
        `${key} must be ${integer ? 'an integer' : 'a number'} from ${LIMITS[field].min} to ${LIMITS[field].max}`,
      );
    else settings[field] = n;
  }
  let compareWith = defaults.compareWith;
  const compare = params.get('compare');
  if (compare !== null) {
    if (isPolicy(compare)) compareWith = compare;
    else problems.push(`unknown compare policy "${compare.slice(0, 40)}"`);
  }
  return { state: { program, settings, compareWith }, problems };
}

export { DEFAULT_SETTINGS };
