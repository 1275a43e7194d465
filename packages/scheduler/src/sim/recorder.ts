/**
 * Turns the engine's state changes into trace intervals and events. A thread is always in exactly
 * one state from its start to its end; each change closes the open interval. Zero-length intervals
 * are dropped, so a thread that takes a free GIL at once shows no `waiting` sliver.
 */
import type { TraceEvent, TraceEventKind, TraceInterval, TraceState, TraceThread } from '../trace.js';

interface Open {
  state: TraceState;
  detail: string | undefined;
  core: number | undefined;
  start: number;
}

export class TraceRecorder {
  readonly threads: TraceThread[] = [];
  readonly intervals: TraceInterval[] = [];
  readonly events: TraceEvent[] = [];
  #open = new Map<number, Open>();
  #end = 0;

  addThread(t: TraceThread): void {
    this.threads.push(t);
  }

  /** Puts thread `id` into `state` from `timeNs` on. */
  set(id: number, state: TraceState, timeNs: number, detail?: string, core?: number): void {
    const o = this.#open.get(id);
    const us = timeNs / 1000;
    if (o) {
      if (o.state === state && o.detail === detail && o.core === core) return;
      this.#close(id, o, us);
    }
    this.#open.set(id, { state, detail, core, start: o ? Math.max(us, o.start) : us });
  }

  /** Ends thread `id` (finished or failed) at `timeNs`. */
  end(id: number, timeNs: number): void {
    const o = this.#open.get(id);
    if (o) this.#close(id, o, timeNs / 1000);
    this.#open.delete(id);
  }

  event(
    kind: TraceEventKind,
    timeNs: number,
    thread: number,
    extra?: { from?: number; to?: number; gil?: number },
  ): void {
    const ev: TraceEvent = { kind, time: timeNs / 1000, thread };
    if (extra?.from !== undefined) ev.from = extra.from;
    if (extra?.to !== undefined) ev.to = extra.to;
    if (extra?.gil !== undefined) ev.gil = extra.gil;
    this.events.push(ev);
  }

  /** Closes every open interval at `timeNs` (threads still blocked when the run stops). */
  closeAll(timeNs: number): void {
    for (const [id, o] of this.#open) this.#close(id, o, timeNs / 1000);
    this.#open.clear();
  }

  /** End of the last interval, in µs. */
  get durationUs(): number {
    return this.#end;
  }

  #close(id: number, o: Open, endUs: number): void {
    const end = Math.max(endUs, o.start);
    if (end > this.#end) this.#end = end;
    if (end === o.start) return;
    const iv: TraceInterval = { thread: id, state: o.state, start: o.start, end };
    if (o.detail !== undefined) iv.detail = o.detail;
    if (o.core !== undefined) iv.core = o.core;
    this.intervals.push(iv);
  }
}
