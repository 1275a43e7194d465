# gil suite: the same N decrements split over THREADS threads; prints elapsed seconds.
# Runs unchanged under CPython, MiniPy on the simulator (virtual clock) and MiniPy on real workers.
import threading
import time

N = 2_000_000
THREADS = 2


def count(n):
    while n > 0:
        n -= 1


t0 = time.perf_counter()
if THREADS == 1:
    count(N)
else:
    threads = [threading.Thread(target=count, args=(N // THREADS,)) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
print(f"{time.perf_counter() - t0:.6f}")
