import threading

lock = threading.Lock()
def guarded(x):
    with lock:
        if x > 0:
            return "positive"
        return "non-positive"

print(guarded(1), guarded(0), lock.locked())
