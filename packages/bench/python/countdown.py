"""Beazley's countdown with 1, 2 and 4 threads: python3 countdown.py N REPEATS THREADS...

The same N decrements are split over k threads; prints median seconds per thread count.
"""
import json
import statistics
import sys
import threading
import time


def count(n):
    while n > 0:
        n -= 1


def run(total, k):
    threads = [threading.Thread(target=count, args=(total // k,)) for _ in range(k)]
    t0 = time.perf_counter()
    if k == 1:
        count(total)
    else:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return time.perf_counter() - t0


n, repeats = int(sys.argv[1]), int(sys.argv[2])
counts = [int(a) for a in sys.argv[3:]] or [1, 2, 4]
out = {}
for k in counts:
    out[str(k)] = statistics.median(run(n, k) for _ in range(repeats))
print(json.dumps({"n": n, "seconds": out}))
