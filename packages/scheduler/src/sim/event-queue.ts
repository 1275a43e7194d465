/**
 * The simulator's event queue: a binary min-heap ordered by (time, insertion sequence). Ties are
 * broken by insertion order, which makes the simulation deterministic: two events at the same
 * virtual time always run in the order they were scheduled.
 */

/** A scheduled callback. `time` is virtual nanoseconds. */
export interface QueuedEvent {
  time: number;
  seq: number;
  run: () => void;
}

export class EventQueue {
  #heap: QueuedEvent[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Schedules `run` at virtual time `time` (ns). */
  push(time: number, run: () => void): void {
    const ev: QueuedEvent = { time, seq: this.#seq++, run };
    const h = this.#heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(ev, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = ev;
  }

  /** Time of the earliest event, or `Infinity` when empty. */
  peekTime(): number {
    return this.#heap.length > 0 ? this.#heap[0].time : Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the earliest event. */
  pop(): QueuedEvent | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r], h[l]) ? r : l;
        if (!before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
