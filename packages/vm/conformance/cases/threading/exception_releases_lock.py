import threading

lock = threading.Lock()
state = []


def risky(i):
    with lock:
        state.append(i)
        if i == 1:
            raise ValueError("thread failure")


ts = [threading.Thread(target=risky, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
with lock:
    print(sorted(state), "lock usable after a thread raised inside it")
print(lock.locked())
