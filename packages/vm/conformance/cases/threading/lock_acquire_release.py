import threading

lock = threading.Lock()
print(lock.locked())
lock.acquire()
print(lock.locked(), lock.acquire(False))
lock.release()
print(lock.locked(), lock.acquire(blocking=False))
lock.release()
with lock:
    print("inside", lock.locked())
print("outside", lock.locked())
