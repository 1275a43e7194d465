# gil suite: the same N decrements split over THREADS threads; prints elapsed seconds.
# Runs unchanged under CPython, MiniPy on the simulator (virtual clock) and MiniPy on real workers.
# The clock starts once every thread is running and parked on an Event, so thread start-up (a
# fraction of a millisecond in CPython, a worker start on the real-threads runtime) is not timed:
# what is measured is the countdown itself under the GIL.
import threading
import time

N = 2_000_000
THREADS = 2

go = threading.Event()


def countdown(n):
    while n > 0:
        n -= 1


def count(n, ready):
    ready.set()
    go.wait()
    countdown(n)


if THREADS == 1:
    t0 = time.perf_counter()
    countdown(N)
else:
    readies = [threading.Event() for _ in range(THREADS)]
    threads = [threading.Thread(target=count, args=(N // THREADS, r)) for r in readies]
    for t in threads:
        t.start()
    for r in readies:
        r.wait()
    t0 = time.perf_counter()
    go.set()
    for t in threads:
        t.join()
print(f"{time.perf_counter() - t0:.6f}")
