/**
 * Parked workers, platform-neutral: a worker whose thread ended cleanly waits here for the next
 * thread (each worker is its own JS engine that compiles the eval loop for itself, so a kept one
 * starts a thread in milliseconds and runs it optimised). The most recently parked worker is taken
 * first; a parked worker ends after {@link IDLE_TIMEOUT_MS} unused or when more than
 * {@link MAX_IDLE_WORKERS} are parked (the oldest first). platform-node.ts and platform-web.ts say
 * how a worker is put to rest and ended.
 */

/** How long a parked worker waits for another thread before it ends. */
export const IDLE_TIMEOUT_MS = 10_000;
/** At most this many parked workers (the oldest ends first). */
export const MAX_IDLE_WORKERS = 8;

/** What a platform does to a worker entering or leaving the lot, and to end one. */
export interface ParkingHooks<W> {
  /** Entering: e.g. stop it keeping the process alive, watch for its death. */
  parked?(w: W): void;
  /** Leaving, to run a thread or to end: undo `parked`. */
  unparked?(w: W): void;
  /** End a parked worker for good. */
  end(w: W): Promise<void> | void;
}

export class ParkingLot<W> {
  /** Oldest first, with the timer that ends each. */
  readonly #parked: { w: W; timer: ReturnType<typeof setTimeout> }[] = [];
  readonly #hooks: ParkingHooks<W>;

  constructor(hooks: ParkingHooks<W>) {
    this.#hooks = hooks;
  }

  get size(): number {
    return this.#parked.length;
  }

  /** Parks `w`; ends the oldest parked workers beyond the limit. */
  park(w: W): void {
    const timer = setTimeout(() => {
      if (this.remove(w)) void this.#hooks.end(w);
    }, IDLE_TIMEOUT_MS);
    (timer as { unref?: () => void }).unref?.();
    this.#parked.push({ w, timer });
    this.#hooks.parked?.(w);
    while (this.#parked.length > MAX_IDLE_WORKERS) {
      const oldest = this.#parked[0].w;
      this.remove(oldest);
      void this.#hooks.end(oldest);
    }
  }

  /** The most recently parked worker, taken out of the lot; undefined when none. */
  take(): W | undefined {
    const last = this.#parked.at(-1)?.w;
    if (last !== undefined) this.remove(last);
    return last;
  }

  /** Takes `w` out of the lot without ending it; false when it was not parked. */
  remove(w: W): boolean {
    const i = this.#parked.findIndex((p) => p.w === w);
    if (i < 0) return false;
    clearTimeout(this.#parked[i].timer);
    this.#parked.splice(i, 1);
    this.#hooks.unparked?.(w);
    return true;
  }

  /** Ends every parked worker. */
  async closeAll(): Promise<void> {
    const ws = this.#parked.map((p) => p.w);
    for (const w of ws) this.remove(w);
    await Promise.all(ws.map((w) => this.#hooks.end(w)));
  }
}
