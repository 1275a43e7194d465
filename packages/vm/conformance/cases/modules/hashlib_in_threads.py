import hashlib
import threading

out = []
def work(i):
    out.append((i, hashlib.sha256(bytes([i]) * 3000).hexdigest()[:16]))

ts = [threading.Thread(target=work, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for item in sorted(out):
    print(item)
