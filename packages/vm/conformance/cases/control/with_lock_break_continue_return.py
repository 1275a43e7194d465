import threading

lock = threading.Lock()
def scan(items):
    for x in items:
        with lock:
            if x == 0:
                continue
            if x < 0:
                break
            if x > 100:
                return "big"
    return "done"

print(scan([1, 0, 2]), lock.locked())
print(scan([1, -1, 500]), lock.locked())
print(scan([0, 200]), lock.locked())
