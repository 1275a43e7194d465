import type { Policy, Settings } from './settings.js';

/** A program that tells one part of the GIL story, with the settings that show it best. */
export interface Preset {
  id: string;
  title: string;
  /** One or two sentences: what to look at in the timeline. */
  story: string;
  program: string;
  settings?: Partial<Settings>;
  compareWith?: Policy | null;
}

/**
 * Work per countdown preset: about 100 ms of CPython time (the simulator charges CPython-calibrated
 * virtual time per instruction, about 17 ns per iteration), so with CPython's default 5 ms switch
 * interval the threads take about twenty turns.
 */
export const COUNTDOWN_TOTAL = 6_000_000;

/**
 * Iterations of `while n > 0: n -= 1` that CPython does in about a second on the machine the
 * simulator's cost model was calibrated on (17 ns per iteration, `@gilkit/scheduler`'s
 * CPYTHON_COUNTDOWN_NS_PER_ITERATION).
 */
export const ONE_SECOND_ITERATIONS = Math.round(1e9 / 17);

/** The countdown program doing one (virtual) second of work split over `threads` threads. */
export function oneSecondCountdown(threads: number): string {
  return countdown(threads, ONE_SECOND_ITERATIONS);
}

function countdown(threads: number, total = COUNTDOWN_TOTAL): string {
  return `# Countdown: pure-Python CPU work split across ${threads} thread${threads === 1 ? '' : 's'}.
# Under the GIL only one thread runs bytecode at a time, so adding
# threads does not make it faster. Try the free-threaded policy.
import threading
import time

N = ${total}
THREADS = ${threads}

def countdown(n):
    while n > 0:
        n -= 1

start = time.perf_counter()
threads = []
for i in range(THREADS):
    t = threading.Thread(target=countdown, args=(N // THREADS,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
print(THREADS, "thread(s) counted down", N, "in", int(elapsed * 1000), "ms")
`;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'countdown-1',
    title: 'Countdown, 1 thread',
    story: 'The baseline: one thread counting down holds the GIL the whole time.',
    program: countdown(1),
  },
  {
    id: 'countdown-2',
    title: 'Countdown, 2 threads',
    story:
      'Two CPU-bound threads take turns: each runs for a switch interval (5 ms) while the other waits for the GIL. The total time does not drop.',
    program: countdown(2),
  },
  {
    id: 'countdown-4',
    title: 'Countdown, 4 threads',
    story: 'Four threads, four cores, still one GIL: three threads are always waiting (orange).',
    program: countdown(4),
    settings: { cores: 4 },
  },
  {
    id: 'io-bound',
    title: 'I/O-bound threads',
    story:
      'Threads that mostly wait (sleep stands in for I/O) release the GIL while blocked, so they overlap and finish in about the time of one.',
    program: `# I/O-bound threads: blocking calls release the GIL.
import threading
import time

def fetch(i):
    for k in range(5):
        time.sleep(0.02)  # waiting for the network, GIL released

start = time.perf_counter()
threads = []
for i in range(4):
    t = threading.Thread(target=fetch, args=(i,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print("4 threads x 5 requests of 20 ms took", int((time.perf_counter() - start) * 1000), "ms")
`,
  },
  {
    id: 'convoy',
    title: 'Convoy effect',
    story:
      'An I/O thread next to a CPU-bound one: every time its I/O completes it must wait up to a switch interval to get the GIL back. Try switch intervals of 1 ms and 20 ms and watch the round trips.',
    program: `# Convoy effect: I/O latency suffers next to a CPU-bound thread.
import threading
import time

def spin():
    n = 6000000
    while n > 0:
        n -= 1

def io_loop():
    worst = 0.0
    total = 0.0
    for k in range(15):
        t0 = time.perf_counter()
        time.sleep(0.001)  # a 1 ms I/O round trip
        took = time.perf_counter() - t0
        total += took
        if took > worst:
            worst = took
    print("1 ms I/O round trips: mean", int(total / 15 * 1000000), "us, worst", int(worst * 1000000), "us")

cpu = threading.Thread(target=spin)
io = threading.Thread(target=io_loop)
cpu.start()
io.start()
io.join()
cpu.join()
`,
  },
  {
    id: 'pool',
    title: 'multiprocessing.Pool speedup',
    story:
      'Processes do not share a GIL: a Pool of 4 worker processes runs 4 CPU-bound tasks in parallel (each lane is a process with its own GIL; starting them costs a little).',
    program: `# multiprocessing.Pool: one GIL per process, so CPU work runs in parallel.
import time
from multiprocessing import Pool

def work(n):
    while n > 0:
        n -= 1
    return n

if __name__ == "__main__":
    start = time.perf_counter()
    with Pool(4) as pool:
        results = pool.map(work, [1500000, 1500000, 1500000, 1500000])
    print("4 tasks on a Pool(4):", int((time.perf_counter() - start) * 1000), "ms")
`,
  },
  {
    id: 'hashlib',
    title: 'hashlib releases the GIL',
    story:
      'hashlib.sha256 over large buffers runs as native code without the GIL (purple), so hashing threads run in parallel even under the GIL.',
    program: `# hashlib releases the GIL for large inputs: native work runs in parallel.
import threading
import hashlib
import time

DATA = b"x" * 1000000

def hash_many():
    for i in range(10):
        hashlib.sha256(DATA)

start = time.perf_counter()
threads = []
for i in range(4):
    t = threading.Thread(target=hash_many)
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print("4 threads x 10 hashes of 1 MB:", int((time.perf_counter() - start) * 1000), "ms")
`,
  },
  {
    id: 'counter-race',
    title: 'Shared counter without a lock',
    story:
      'counter += 1 is a read, an add and a write: a switch in between loses updates. The GIL makes it rarer, not impossible; without a GIL it happens all the time.',
    program: `# A shared counter without a lock: updates can be lost.
import threading

counter = 0

def add():
    global counter
    for i in range(2000):
        counter += 1

threads = []
for i in range(4):
    t = threading.Thread(target=add)
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print("expected 8000, got", counter)
`,
    settings: { policy: 'free-threaded' },
  },
  {
    id: 'counter-lock',
    title: 'Shared counter with a Lock',
    story: 'The same counter protected by threading.Lock: always right, under any policy.',
    program: `# A shared counter with a Lock: correct under every policy.
import threading

counter = 0
lock = threading.Lock()

def add():
    global counter
    for i in range(2000):
        with lock:
            counter += 1

threads = []
for i in range(4):
    t = threading.Thread(target=add)
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print("expected 8000, got", counter)
`,
    settings: { policy: 'free-threaded' },
  },
  {
    id: 'gil-vs-free',
    title: 'Free-threaded vs GIL',
    story:
      'The 4-thread countdown under the CPython GIL and without a GIL (PEP 703), side by side: the same work finishes about 4 times sooner on 4 cores.',
    program: countdown(4),
    settings: { policy: 'cpython', cores: 4 },
    compareWith: 'free-threaded',
  },
];

export const DEFAULT_PRESET = PRESETS[1];
