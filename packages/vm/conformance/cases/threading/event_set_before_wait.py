import threading

ev = threading.Event()
log = []

def setter():
    log.append("setting")
    ev.set()

t = threading.Thread(target=setter)
t.start()
t.join()
print(ev.wait(), ev.is_set(), log)
