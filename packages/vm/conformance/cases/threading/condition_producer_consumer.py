# conformance: needs-concurrent-runtime
import threading

cond = threading.Condition()
items = []
consumed = []

def consumer():
    for _ in range(3):
        with cond:
            while not items:
                cond.wait()
            consumed.append(items.pop(0))

t = threading.Thread(target=consumer)
t.start()
for i in range(3):
    with cond:
        items.append(i)
        cond.notify()
t.join()
print(consumed)
