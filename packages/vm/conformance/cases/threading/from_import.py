from threading import Thread, Lock

total = []
lock = Lock()
def push(v):
    with lock:
        total.append(v)

ts = [Thread(target=push, args=(v,)) for v in "cab"]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("".join(sorted(total)))
