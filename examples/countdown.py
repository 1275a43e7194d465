# Two CPU-bound threads under the GIL: the classic countdown (Beazley, 2009).
# Together they take about as long as one thread doing all the work.
import threading
import time

N = 2_000_000

def count(n):
    while n > 0:
        n -= 1

start = time.perf_counter()
count(N)
seq = time.perf_counter() - start

start = time.perf_counter()
t1 = threading.Thread(target=count, args=(N // 2,))
t2 = threading.Thread(target=count, args=(N // 2,))
t1.start(); t2.start()
t1.join(); t2.join()
par = time.perf_counter() - start

print(f"sequential: {seq:.3f} s")
print(f"2 threads:  {par:.3f} s ({par / seq:.2f}x)")
