/**
 * The trace ring: every worker appends fixed-size entries (state changes, GIL events) with one
 * Atomics.add to reserve a slot; the main thread decodes them after the run. Times come from one
 * clock: `performance.timeOrigin + performance.now()` (absolute ms, comparable across workers)
 * minus the run's start, in microseconds.
 */
import type { Trace, TraceEvent, TraceEventKind, TraceInterval, TraceState } from '../trace.js';
import { TRACE_EVENT_KINDS, TRACE_STATES } from '../trace.js';
import { ENTRY_WORDS, K_END, K_EVENT, K_STATE, RING_ENTRIES, RING_HEADER_WORDS } from './layout.js';

export function createRingBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer((RING_HEADER_WORDS + RING_ENTRIES * ENTRY_WORDS) * 4);
}

/** Absolute time in ms on the common clock. */
export function absoluteNowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class TraceRing {
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #startMs: number;

  constructor(buffer: SharedArrayBuffer, startMs: number) {
    this.#i32 = new Int32Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#startMs = startMs;
  }

  /** Microseconds since the run start. */
  now(): number {
    return (absoluteNowMs() - this.#startMs) * 1000;
  }

  #append(kind: number, thread: number, a: number, b: number, time: number): void {
    const slot = Atomics.add(this.#i32, 0, 1);
    // A full ring drops entries rather than overwriting: the trace ends early instead of lying.
    if (slot >= RING_ENTRIES) return;
    const base = RING_HEADER_WORDS + slot * ENTRY_WORDS;
    this.#i32[base + 1] = thread;
    this.#i32[base + 2] = a;
    this.#i32[base + 3] = b;
    this.#f64[(base + 4) / 2] = time;
    // Kind last: a reader treats kind 0 as "not written yet".
    Atomics.store(this.#i32, base, kind);
  }

  state(thread: number, state: TraceState, detail = 0): void {
    this.#append(K_STATE, thread, TRACE_STATES.indexOf(state), detail, this.now());
  }

  /** An instant; `other` is the previous holder (`handoff`) or the holder asked to drop (`drop-request`). */
  event(thread: number, kind: TraceEventKind, other = -1): void {
    this.#append(K_EVENT, thread, TRACE_EVENT_KINDS.indexOf(kind), other, this.now());
  }

  end(thread: number): void {
    this.#append(K_END, thread, 0, 0, this.now());
  }

  /** Decodes the ring into intervals and events (main thread, after all workers ended). */
  decode(details: readonly string[]): Pick<Trace, 'intervals' | 'events' | 'durationUs'> {
    const n = Math.min(Atomics.load(this.#i32, 0), RING_ENTRIES);
    const entries: { kind: number; thread: number; a: number; b: number; time: number }[] = [];
    for (let i = 0; i < n; i++) {
      const base = RING_HEADER_WORDS + i * ENTRY_WORDS;
      const kind = Atomics.load(this.#i32, base);
      if (kind === 0) continue;
      entries.push({
        kind,
        thread: this.#i32[base + 1],
        a: this.#i32[base + 2],
        b: this.#i32[base + 3],
        time: this.#f64[(base + 4) / 2],
      });
    }
    entries.sort((x, y) => x.time - y.time);
    const open = new Map<number, { state: TraceState; start: number; detail?: string }>();
    const intervals: TraceInterval[] = [];
    const events: TraceEvent[] = [];
    let end = 0;
    const close = (thread: number, time: number) => {
      const o = open.get(thread);
      if (!o) return;
      if (time > o.start) {
        const iv: TraceInterval = { thread, state: o.state, start: o.start, end: time };
        if (o.detail) iv.detail = o.detail;
        intervals.push(iv);
      }
      open.delete(thread);
    };
    for (const e of entries) {
      end = Math.max(end, e.time);
      if (e.kind === K_STATE) {
        close(e.thread, e.time);
        const o: { state: TraceState; start: number; detail?: string } = {
          state: TRACE_STATES[e.a],
          start: e.time,
        };
        if (e.b > 0 && details[e.b]) o.detail = details[e.b];
        open.set(e.thread, o);
      } else if (e.kind === K_END) {
        close(e.thread, e.time);
      } else {
        const kind = TRACE_EVENT_KINDS[e.a];
        const ev: TraceEvent = { kind, time: e.time, thread: e.thread };
        if (kind === 'handoff' && e.b >= 0) {
          ev.from = e.b;
          ev.to = e.thread;
        } else if (kind === 'drop-request' && e.b >= 0) ev.to = e.b;
        events.push(ev);
      }
    }
    for (const t of [...open.keys()]) close(t, end);
    intervals.sort((a, b) => a.thread - b.thread || a.start - b.start);
    return { intervals, events, durationUs: end };
  }
}

/** Fixed detail strings (index 0 = none), so ring entries stay fixed-size. */
export const DETAILS = [
  '',
  'gil',
  'sleep',
  'io',
  'native',
  'lock',
  'join',
  'event',
  'start',
  'forced switch',
  'gc',
] as const;
export const detailIndex = (d: (typeof DETAILS)[number]): number => DETAILS.indexOf(d);
