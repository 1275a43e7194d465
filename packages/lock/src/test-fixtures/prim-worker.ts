/**
 * Worker side of the Mutex/RLock/Condition/Semaphore/Event tests; `workerData.scenario` picks
 * the behaviour. One SharedArrayBuffer `buffer` holds all primitives at fixed offsets (OFF).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Condition, currentThreadId, Event, Mutex, RLock, Semaphore } from '../index.js';

/** Byte offsets of the primitives inside the shared test buffer. */
export const OFF = { mutex: 0, rlock: 16, cond: 32, semA: 48, semB: 64, evA: 80, evB: 88, data: 96 } as const;
export const BUFFER_BYTES = 96 + 64;

interface Data {
  scenario: string;
  buffer: SharedArrayBuffer;
  iterations: number;
  role?: number;
  timeoutMs?: number;
}

const data = workerData as Data | null;
if (data && parentPort) {
  const port = parentPort;
  const b = data.buffer;
  const words = new Int32Array(b, OFF.data, 16);
  port.postMessage({ type: 'ready', threadId: currentThreadId() });
  switch (data.scenario) {
    case 'mutex-counter': {
      const m = new Mutex(b, OFF.mutex);
      for (let i = 0; i < data.iterations; i++) {
        m.lock();
        const v = words[0]!;
        words[0] = v + 1;
        m.unlock();
      }
      port.postMessage({ type: 'done' });
      break;
    }
    case 'rlock-counter': {
      const r = new RLock(b, OFF.rlock);
      for (let i = 0; i < data.iterations; i++) {
        r.lock();
        r.lock();
        const v = words[0]!;
        r.unlock();
        words[0] = v + 1;
        r.unlock();
      }
      port.postMessage({ type: 'done' });
      break;
    }
    case 'mutex-die': {
      const m = new Mutex(b, OFF.mutex);
      m.lock();
      port.postMessage({ type: 'holding' });
      process.exit(4);
      break;
    }
    case 'mutex-lock-after-death': {
      const m = new Mutex(b, OFF.mutex);
      const ok = m.lock({ timeoutMs: data.timeoutMs ?? 20_000 });
      const ownerDied = m.ownerDied;
      if (ok) m.unlock();
      port.postMessage({ type: 'done', ok, ownerDied });
      break;
    }
    case 'unlock-foreign': {
      const m = new Mutex(b, OFF.mutex);
      let code: unknown = null;
      try {
        m.unlock();
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      port.postMessage({ type: 'done', code, owner: m.owner() });
      break;
    }
    case 'cond-pingpong': {
      // words[1] = whose turn (0 or 1). Each side waits for its turn, flips it, notifies.
      // Waits carry a generous timeout; a wait that times out with the turn still not ours
      // would be a lost wake-up, and is counted.
      const m = new Mutex(b, OFF.mutex);
      const c = new Condition(m, b, OFF.cond);
      const me = data.role!;
      let lost = 0;
      for (let i = 0; i < data.iterations; i++) {
        m.lock();
        while (words[1] !== me) {
          if (!c.wait({ timeoutMs: 10_000 }) && words[1] !== me) {
            lost++;
            break;
          }
        }
        words[1] = 1 - me;
        words[2] = words[2]! + 1;
        c.notify();
        m.unlock();
      }
      port.postMessage({ type: 'done', lost });
      break;
    }
    case 'cond-consumer': {
      // Bounded queue of ints: words[3] = items available, words[4] = consumed total.
      const m = new Mutex(b, OFF.mutex);
      const c = new Condition(m, b, OFF.cond);
      let got = 0;
      let timeouts = 0;
      for (let i = 0; i < data.iterations; i++) {
        m.lock();
        if (!c.waitFor(() => words[3]! > 0, { timeoutMs: 10_000 })) timeouts++;
        else {
          words[3] = words[3]! - 1;
          words[4] = words[4]! + 1;
          got++;
        }
        c.notifyAll();
        m.unlock();
      }
      port.postMessage({ type: 'done', got, timeouts });
      break;
    }
    case 'cond-producer': {
      const m = new Mutex(b, OFF.mutex);
      const c = new Condition(m, b, OFF.cond);
      let timeouts = 0;
      for (let i = 0; i < data.iterations; i++) {
        m.lock();
        if (!c.waitFor(() => words[3]! < 4, { timeoutMs: 10_000 })) timeouts++;
        else words[3] = words[3]! + 1;
        c.notifyAll();
        m.unlock();
      }
      port.postMessage({ type: 'done', timeouts });
      break;
    }
    case 'sem-limit': {
      // words[5] = threads inside, words[6] = max seen inside.
      const s = new Semaphore(b, OFF.semA);
      const m = new Mutex(b, OFF.mutex);
      for (let i = 0; i < data.iterations; i++) {
        s.acquire();
        const inside = Atomics.add(words, 5, 1) + 1;
        m.lock();
        if (inside > words[6]!) words[6] = inside;
        m.unlock();
        for (let k = 0; k < 50; k++) Atomics.load(words, 5);
        Atomics.sub(words, 5, 1);
        s.release();
      }
      port.postMessage({ type: 'done' });
      break;
    }
    case 'sem-pingpong': {
      // role 0: acquire A, release B; role 1: acquire B, release A. Timeouts count lost wake-ups.
      const a = new Semaphore(b, OFF.semA);
      const bb = new Semaphore(b, OFF.semB);
      const [mine, theirs] = data.role === 0 ? [a, bb] : [bb, a];
      let lost = 0;
      for (let i = 0; i < data.iterations; i++) {
        if (!mine.acquire({ timeoutMs: 10_000 })) lost++;
        theirs.release();
      }
      port.postMessage({ type: 'done', lost });
      break;
    }
    case 'event-pingpong': {
      // role 0 waits A, clears A, sets B; role 1 sets A, waits B, clears B.
      const ea = new Event(b, OFF.evA);
      const eb = new Event(b, OFF.evB);
      let lost = 0;
      for (let i = 0; i < data.iterations; i++) {
        if (data.role === 0) {
          if (!ea.wait({ timeoutMs: 10_000 })) lost++;
          ea.clear();
          eb.set();
        } else {
          ea.set();
          if (!eb.wait({ timeoutMs: 10_000 })) lost++;
          eb.clear();
        }
      }
      port.postMessage({ type: 'done', lost });
      break;
    }
    case 'event-wait': {
      const ev = new Event(b, OFF.evA);
      const ok = ev.wait({ timeoutMs: data.timeoutMs ?? 20_000 });
      port.postMessage({ type: 'done', ok });
      break;
    }
  }
}
