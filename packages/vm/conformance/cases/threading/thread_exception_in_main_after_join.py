import threading

data = {}
def fill(k):
    data[k] = k * 2

ts = [threading.Thread(target=fill, args=(k,)) for k in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(data.items()))
print(data[5])
