import threading
import time

def count(n):
    while n > 0:
        n -= 1
    return n

start = time.perf_counter()
threads = [threading.Thread(target=count, args=(20000,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
print("two threads done", elapsed >= 0)
