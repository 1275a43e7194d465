import threading, time
lock = threading.Lock()
counter = 0
ev = threading.Event()
def worker(n):
    global counter
    ev.wait()
    for i in range(n):
        with lock:
            counter += 1
def bad():
    time.sleep(0.001)
    1 / 0
ts = [threading.Thread(target=worker, args=(1000,)) for _ in range(3)]
for t in ts: t.start()
b = threading.Thread(target=bad)
b.start()
time.sleep(0.002)
ev.set()
for t in ts: t.join()
b.join()
print("counter", counter, threading.active_count())
x = {}
x["missing"]
