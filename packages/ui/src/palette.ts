import type { TraceState } from './trace-types.js';

/** Colours the components draw with. Every state colour must read on `background`. */
export interface Palette {
  background: string;
  /** Lane background (the thread exists but no interval covers the time). */
  lane: string;
  text: string;
  mutedText: string;
  grid: string;
  /** Hand-off arrows. */
  arrow: string;
  /** Drop-request marks. */
  dropRequest: string;
  states: Record<TraceState, string>;
}

/**
 * Light theme. State colours are chosen to stay distinct for the common colour-vision
 * deficiencies (blue/orange axis for running/waiting, not red/green).
 */
export const lightPalette: Palette = {
  background: '#ffffff',
  lane: '#f1f3f5',
  text: '#1b1f24',
  mutedText: '#57606a',
  grid: '#d0d7de',
  arrow: '#1b1f24',
  dropRequest: '#cf222e',
  states: {
    running: '#1f77b4',
    waiting: '#ff7f0e',
    blocked: '#9aa4ae',
    native: '#8e44ad',
  },
};

/** Dark theme, same hues lifted for contrast on a dark background. */
export const darkPalette: Palette = {
  background: '#0d1117',
  lane: '#161b22',
  text: '#e6edf3',
  mutedText: '#9198a1',
  grid: '#30363d',
  arrow: '#e6edf3',
  dropRequest: '#ff7b72',
  states: {
    running: '#4ea1f3',
    waiting: '#ffa657',
    blocked: '#6e7681',
    native: '#c297ff',
  },
};

/** Light or dark: which built-in palette a component uses unless given one. */
export type Theme = 'light' | 'dark';

/** The built-in palette for a theme. */
export function paletteFor(theme: Theme): Palette {
  return theme === 'dark' ? darkPalette : lightPalette;
}

/** Words for the states, as shown in legends and tooltips. */
export const STATE_LABELS: Record<TraceState, string> = {
  running: 'running (holds the GIL)',
  waiting: 'waiting for the GIL',
  blocked: 'blocked (GIL released)',
  native: 'native code (GIL released)',
};
