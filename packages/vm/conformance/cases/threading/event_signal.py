import threading

ev = threading.Event()
out = []
def waiter():
    ev.wait()
    out.append("woke")

t = threading.Thread(target=waiter)
t.start()
print(ev.is_set())
ev.set()
t.join()
print(ev.is_set(), out)
ev.clear()
print(ev.is_set(), ev.wait(0.01))
