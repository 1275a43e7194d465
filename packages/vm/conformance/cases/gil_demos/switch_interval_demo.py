import sys
import threading

old = sys.getswitchinterval()
sys.setswitchinterval(0.0001)
total = [0]
lock = threading.Lock()
def work():
    for _ in range(500):
        with lock:
            total[0] += 1

ts = [threading.Thread(target=work) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
sys.setswitchinterval(old)
print(total[0], sys.getswitchinterval() == old)
