import threading
import time

finished = []
def fetch(i):
    time.sleep(0.005)
    finished.append(i)

start = time.monotonic()
threads = [threading.Thread(target=fetch, args=(i,), name=f"io-{i}") for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(sorted(finished), time.monotonic() - start >= 0.005)
