import hashlib
import threading

blocks = [bytes([i]) * 4096 for i in range(4)]
digests = {}
lock = threading.Lock()
def digest(i):
    h = hashlib.sha256(blocks[i]).hexdigest()
    with lock:
        digests[i] = h[:12]

ts = [threading.Thread(target=digest, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for i in sorted(digests):
    print(i, digests[i])
