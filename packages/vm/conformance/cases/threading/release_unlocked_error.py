import threading

lock = threading.Lock()
try:
    lock.release()
except RuntimeError as e:
    print(e)
r = threading.RLock()
try:
    r.release()
except RuntimeError as e:
    print(e)
