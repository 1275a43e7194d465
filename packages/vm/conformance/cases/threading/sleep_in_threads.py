import threading
import time

done = []
def nap(i):
    time.sleep(0.01)
    done.append(i)

ts = [threading.Thread(target=nap, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(done))
