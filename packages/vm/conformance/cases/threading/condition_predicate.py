import threading

cond = threading.Condition()
items = []

def producer(n):
    with cond:
        items.append(n)
        cond.notify()

ts = [threading.Thread(target=producer, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
got = []
with cond:
    while len(items) < 3:
        cond.wait()
    got.extend(sorted(items))
print(got)
