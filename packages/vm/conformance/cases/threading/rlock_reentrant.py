import threading

r = threading.RLock()
def outer():
    with r:
        return inner()

def inner():
    with r:
        return "reentered"

print(outer())
r.acquire()
r.acquire()
r.release()
r.release()
print("released twice")
