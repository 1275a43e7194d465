import threading

ready = threading.Event()
log = []

def first():
    log.append("first")
    ready.set()

def second():
    ready.wait()
    log.append("second")

a = threading.Thread(target=first)
a.start()
b = threading.Thread(target=second)
b.start()
a.join()
b.join()
print(log, ready.is_set())
