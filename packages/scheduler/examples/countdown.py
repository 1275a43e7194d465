import threading
import time

def countdown(n):
    while n > 0:
        n -= 1

N = 1_000_000

start = time.perf_counter()
countdown(2 * N)
sequential = time.perf_counter() - start

start = time.perf_counter()
threads = [threading.Thread(target=countdown, args=(N,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
threaded = time.perf_counter() - start

print(f"sequential: {sequential:.3f} s")
print(f"2 threads:  {threaded:.3f} s ({threaded / sequential:.2f}x)")
