"""multiprocessing.Pool(2) side of the pool suite: python3 pool.py ITEMS CPU_ITEMS CPU_N.

Tiny-task throughput (x*x) per API, and a CPU-bound map on 1 and 2 workers.
"""
import json
import multiprocessing as mp
import time


def square(x):
    return x * x


def burn(n):
    s = 0
    while n > 0:
        s += n % 7
        n -= 1
    return s


def rate(fn, items):
    t0 = time.perf_counter()
    fn()
    return items / (time.perf_counter() - t0)


if __name__ == "__main__":
    import sys

    items, cpu_items, cpu_n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    data = list(range(items))
    out = {}
    with mp.Pool(2) as pool:
        pool.map(square, range(100))  # start the workers
        out["map chunksize=1"] = rate(lambda: pool.map(square, data, chunksize=1), items)
        out["map default chunksize"] = rate(lambda: pool.map(square, data), items)
        out["imap_unordered"] = rate(lambda: list(pool.imap_unordered(square, data)), items)

        def apply_all():
            results = [pool.apply_async(square, (x,)) for x in data]
            for r in results:
                r.get()

        out["apply_async"] = rate(apply_all, items)
    cpu = {}
    for workers in (1, 2):
        with mp.Pool(workers) as pool:
            pool.map(square, range(10))
            t0 = time.perf_counter()
            pool.map(burn, [cpu_n] * cpu_items, chunksize=1)
            cpu[str(workers)] = time.perf_counter() - t0
    print(json.dumps({"tasksPerSecond": out, "cpuSeconds": cpu}))
