import threading

ev = threading.Event()
print(ev.wait(0.01))
ev.set()
print(ev.wait(0.01), ev.wait())
