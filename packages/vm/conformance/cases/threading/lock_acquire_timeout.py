import threading

lock = threading.Lock()
print(lock.acquire(timeout=0.01))
print(lock.acquire(timeout=0.01))
print(lock.acquire(blocking=False))
lock.release()
print(lock.acquire(True, 0.01))
lock.release()
print(lock.locked())
