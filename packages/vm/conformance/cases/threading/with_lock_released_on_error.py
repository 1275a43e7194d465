import threading

lock = threading.Lock()
try:
    with lock:
        print("holding", lock.locked())
        raise KeyError("k")
except KeyError:
    print("released:", not lock.locked())
