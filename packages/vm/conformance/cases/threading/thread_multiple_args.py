import threading

out = {}
def store(key, a, b):
    out[key] = a * b

ts = [threading.Thread(target=store, args=(k, k, k + 1)) for k in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(out.items()))
