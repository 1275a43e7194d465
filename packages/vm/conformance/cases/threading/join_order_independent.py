import threading
import time

finished = []
lock = threading.Lock()
def job(i):
    time.sleep(0.001 * (3 - i))
    with lock:
        finished.append(i)

ts = [threading.Thread(target=job, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(finished), len(finished))
