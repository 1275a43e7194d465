import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { darkPalette } from './palette.js';
import { Timeline } from './Timeline.js';
import { recordingContext, roundRobinTrace } from './test-fixtures/traces.js';

let contexts: ReturnType<typeof recordingContext>[] = [];

// jsdom has no PointerEvent; a MouseEvent with a pointerId is what the component reads.
if (typeof globalThis.PointerEvent === 'undefined') {
  class PointerEventShim extends MouseEvent {
    readonly pointerId: number;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
    }
  }
  Object.assign(globalThis, { PointerEvent: PointerEventShim });
}

beforeEach(() => {
  contexts = [];
  // jsdom has no canvas: record the drawing calls instead.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => {
    const ctx = recordingContext();
    contexts.push(ctx);
    return ctx as unknown as ReturnType<HTMLCanvasElement['getContext']>;
  });
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(500);
  vi.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockReturnValue({
    left: 0,
    top: 0,
    width: 500,
    height: 100,
    right: 500,
    bottom: 100,
    x: 0,
    y: 0,
    toJSON: () => ({}),
  });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const range = () => screen.getByText(/ – /).textContent;

describe('<Timeline>', () => {
  it('renders one labelled lane per thread and paints the canvas', () => {
    const onPaint = vi.fn();
    const { container } = render(<Timeline trace={roundRobinTrace(3, 6)} onPaint={onPaint} />);
    expect(container.querySelectorAll('[data-lane]')).toHaveLength(3);
    expect(screen.getByText('Thread-2')).toBeTruthy();
    expect(onPaint).toHaveBeenCalled();
    expect(onPaint.mock.calls.at(-1)?.[0]).toMatchObject({ arrows: 5, arrowsHidden: 0 });
    expect(screen.getByRole('img', { name: /3 threads over 30\.0 ms, cpython/ })).toBeTruthy();
  });

  it('sizes the name column to the longest name, within 30 % of the width', () => {
    const trace = roundRobinTrace(2, 2);
    const { container, rerender } = render(<Timeline trace={trace} />);
    const li = () => container.querySelector('[data-lane]') as HTMLElement;
    expect(li().style.width).toBe(`${8 * 7 + 14 - 8}px`);
    const long = {
      ...trace,
      threads: trace.threads.map((t) => ({ ...t, name: `${t.name} (a-very-long-function-name)` })),
    };
    rerender(<Timeline trace={long} />);
    // clientWidth is 500 in these tests: 30 % is 150.
    expect(li().style.width).toBe(`${150 - 8}px`);
    rerender(<Timeline trace={long} labelWidth={90} />);
    expect(li().style.width).toBe('82px');
  });

  it('zooms and pans with the keyboard and resets with 0', () => {
    render(<Timeline trace={roundRobinTrace(2, 8)} />);
    const canvas = screen.getByRole('img', { name: /Timeline/ });
    expect(range()).toBe('0 – 40.0 ms');
    fireEvent.keyDown(canvas, { key: '+' });
    expect(range()).toBe('7.50 ms – 32.5 ms');
    fireEvent.keyDown(canvas, { key: 'ArrowRight' });
    expect(range()).toBe('12.5 ms – 37.5 ms');
    fireEvent.keyDown(canvas, { key: '0' });
    expect(range()).toBe('0 – 40.0 ms');
  });

  it('zoom buttons work and Reset is disabled when showing the whole run', () => {
    render(<Timeline trace={roundRobinTrace(2, 8)} />);
    const reset = screen.getByRole('button', { name: 'Reset zoom' }) as HTMLButtonElement;
    expect(reset.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Zoom in' }));
    expect(reset.disabled).toBe(false);
    fireEvent.click(reset);
    expect(range()).toBe('0 – 40.0 ms');
  });

  it('shows the interval under the pointer', () => {
    render(<Timeline trace={roundRobinTrace(2, 4)} />);
    const canvas = screen.getByRole('img', { name: /Timeline/ });
    // Lane 1 (Thread-2) at 12.5 % of 20 ms = 2.5 ms: waiting for the GIL.
    const y = 24 + 4 + 30 + 5;
    fireEvent.pointerMove(canvas, { clientX: 62.5, clientY: y });
    const tip = screen.getByRole('tooltip');
    expect(tip.textContent).toContain('Thread-2');
    expect(tip.textContent).toContain('waiting for the GIL');
    expect(tip.textContent).toContain('0 → 5.00 ms (5.00 ms)');
    fireEvent.pointerLeave(canvas);
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('draws on a longer common scale when given minDurationUs', () => {
    render(<Timeline trace={roundRobinTrace(2, 4)} minDurationUs={80_000} />);
    expect(range()).toBe('0 – 80.0 ms');
    cleanup();
    render(<Timeline trace={roundRobinTrace(2, 4)} minDurationUs={1000} />);
    expect(range()).toBe('0 – 20.0 ms');
  });

  it('names the hand-off under the pointer', () => {
    render(<Timeline trace={roundRobinTrace(2, 4)} />);
    const canvas = screen.getByRole('img', { name: /Timeline/ });
    // The hand-off from Thread-1 to Thread-2 at 5 ms is at x = 125 of 500 px (20 ms run).
    fireEvent.pointerMove(canvas, { clientX: 126, clientY: 24 + 4 + 5 });
    expect(screen.getByRole('tooltip').textContent).toContain('GIL hand-off at 5.00 ms: Thread-1 → Thread-2');
    fireEvent.pointerMove(canvas, { clientX: 160, clientY: 24 + 4 + 5 });
    expect(screen.getByRole('tooltip').textContent).not.toContain('hand-off');
  });

  it('pans by dragging', () => {
    render(<Timeline trace={roundRobinTrace(2, 8)} />);
    const canvas = screen.getByRole('img', { name: /Timeline/ });
    fireEvent.keyDown(canvas, { key: '+' });
    fireEvent.pointerDown(canvas, { clientX: 300, clientY: 40, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: 200, clientY: 40, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: 200, clientY: 40, pointerId: 1 });
    // 100 px of 500 px at a 25 ms window = 5 ms later.
    expect(range()).toBe('12.5 ms – 37.5 ms');
  });

  it('a new trace is shown in full and the palette follows the theme', () => {
    const { rerender } = render(<Timeline trace={roundRobinTrace(2, 8)} />);
    fireEvent.keyDown(screen.getByRole('img', { name: /Timeline/ }), { key: '+' });
    act(() => rerender(<Timeline trace={roundRobinTrace(2, 4)} theme="dark" />));
    expect(range()).toBe('0 – 20.0 ms');
    const last = contexts.at(-1)!;
    expect(last.calls.some((c) => c.name === 'set:fillStyle' && c.args[0] === darkPalette.background)).toBe(
      true,
    );
  });
});
