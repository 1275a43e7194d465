# conformance: needs-concurrent-runtime
import threading

cond = threading.Condition()
ready = [False]
woken = []

def waiter(i):
    with cond:
        while not ready[0]:
            cond.wait()
        woken.append(i)

ts = [threading.Thread(target=waiter, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
with cond:
    ready[0] = True
    cond.notify_all()
for t in ts:
    t.join()
print(sorted(woken))
