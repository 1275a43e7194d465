import threading

results = [None] * 5
def compute(i):
    total = 0
    for k in range(1000):
        total += k * i
    results[i] = total

ts = [threading.Thread(target=compute, args=(i,)) for i in range(5)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(results)
