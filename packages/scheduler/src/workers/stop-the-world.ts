/**
 * Stopping the world of a shared heap without a GIL, as CPython's free-threaded build does for its
 * cycle collector (`_PyEval_StopTheWorld`): the heap's `collect()` must not run while another
 * thread touches objects. A thread is *attached* while it may touch the heap (running bytecode)
 * and *detached* while it cannot (blocked in the host, not started, finished). The stopper sets
 * STW_REQUEST, which makes every attached thread's eval breaker fire; each parks (detaches and
 * waits for the request to clear) and the stopper proceeds once it is the only attached thread.
 *
 * Attaching is "count myself, then look at the request" and stopping is "set the request, then
 * look at the count", both sequentially consistent (Atomics): a thread attaching at the moment the
 * world stops either sees the request (and backs off) or is seen in the count (and is waited for).
 */
import { ATTACHED, ATTACHED_STATE, STW_REQUEST } from './layout.js';

export class WorldStopper {
  readonly #ctrl: Int32Array;
  readonly #id: number;
  #attached = false;

  /** The STW_REQUEST word alone (an eval-breaker word: {@link requested} reads it). */
  readonly requestWord: Int32Array;

  /** `ctrl`: the run's control words; `id`: this thread's MiniPy id. */
  constructor(ctrl: Int32Array, id: number) {
    this.#ctrl = ctrl;
    this.#id = id;
    this.requestWord = new Int32Array(ctrl.buffer, ctrl.byteOffset + STW_REQUEST * 4, 1);
  }

  /** Whether some thread asked to stop the world (read at eval-breaker checks). */
  requested(): boolean {
    return Atomics.load(this.#ctrl, STW_REQUEST) !== 0;
  }

  /** Start using the heap; waits while the world is stopped. */
  attach(): void {
    const ctrl = this.#ctrl;
    if (this.#attached) return;
    for (;;) {
      Atomics.store(ctrl, ATTACHED_STATE + this.#id, 1);
      Atomics.add(ctrl, ATTACHED, 1);
      const req = Atomics.load(ctrl, STW_REQUEST);
      if (req === 0 || req === this.#id) {
        this.#attached = true;
        return;
      }
      this.#uncount();
      Atomics.wait(ctrl, STW_REQUEST, req, 1000);
    }
  }

  /** Stop using the heap (before blocking, at the end). */
  detach(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.#uncount();
  }

  #uncount(): void {
    const ctrl = this.#ctrl;
    Atomics.store(ctrl, ATTACHED_STATE + this.#id, 0);
    Atomics.sub(ctrl, ATTACHED, 1);
    Atomics.notify(ctrl, ATTACHED);
  }

  /** At a breaker that fired for a stop request: let the stopper run, then carry on. */
  park(): void {
    this.detach();
    this.attach();
  }

  /**
   * Stops the world: returns true once this (attached) thread is the only one attached; then call
   * {@link restart}. Returns false, world running, when another thread is stopping it (this one
   * parks for it) or when the others did not all park within `timeoutMs` (a thread busy in a long
   * native call that runs Python code consults no breaker until it returns).
   */
  stop(timeoutMs: number): boolean {
    const ctrl = this.#ctrl;
    if (Atomics.compareExchange(ctrl, STW_REQUEST, 0, this.#id) !== 0) {
      this.park();
      return false;
    }
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const n = Atomics.load(ctrl, ATTACHED);
      if (n <= 1) return true;
      const left = deadline - performance.now();
      if (left <= 0) {
        this.restart();
        return false;
      }
      Atomics.wait(ctrl, ATTACHED, n, left);
    }
  }

  /** Lets the parked threads run again. */
  restart(): void {
    Atomics.store(this.#ctrl, STW_REQUEST, 0);
    Atomics.notify(this.#ctrl, STW_REQUEST);
  }
}

/** Coordinator: uncount a thread whose worker died while attached (it will never detach). */
export function uncountDeadThread(ctrl: Int32Array, id: number): void {
  if (Atomics.compareExchange(ctrl, ATTACHED_STATE + id, 1, 0) === 1) {
    Atomics.sub(ctrl, ATTACHED, 1);
    Atomics.notify(ctrl, ATTACHED);
  }
}
