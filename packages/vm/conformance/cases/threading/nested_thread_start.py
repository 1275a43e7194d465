import threading

order = []
lock = threading.Lock()

def child(i):
    with lock:
        order.append(("child", i))

def parent():
    kids = [threading.Thread(target=child, args=(i,)) for i in range(2)]
    for k in kids:
        k.start()
    for k in kids:
        k.join()
    with lock:
        order.append(("parent", threading.current_thread().name))

p = threading.Thread(target=parent, name="parent-thread")
p.start()
p.join()
print(sorted(order))
