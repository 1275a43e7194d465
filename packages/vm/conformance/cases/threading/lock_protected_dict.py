import threading

lock = threading.Lock()
hist = {}
def count(word):
    for ch in word:
        with lock:
            hist[ch] = hist.get(ch, 0) + 1

ts = [threading.Thread(target=count, args=(w,)) for w in ["hello", "world", "threads"]]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(hist.items()))
