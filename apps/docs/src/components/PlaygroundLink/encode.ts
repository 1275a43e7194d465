// Pure helpers (no Docusaurus imports), so tests can load them.

/** Base64url of UTF-8, the encoding the playground reads from `#code=` (apps/playground/src/url-state.ts). */
export function encodeProgram(program: string): string {
  const bytes = new TextEncoder().encode(program);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Settings the playground understands in its URL fragment. */
export interface PlaygroundState {
  program: string;
  policy: string;
  cores: number;
  switchIntervalMs: number;
  seed: number;
}

/** A playground URL that opens with this program and these settings (simulated runtime). */
export function playgroundHref(base: string, s: PlaygroundState): string {
  const p = new URLSearchParams();
  p.set('code', encodeProgram(s.program));
  p.set('runtime', 'sim');
  p.set('policy', s.policy);
  p.set('cores', String(s.cores));
  p.set('interval', String(s.switchIntervalMs));
  p.set('seed', String(s.seed));
  return `${base}#${p.toString()}`;
}
