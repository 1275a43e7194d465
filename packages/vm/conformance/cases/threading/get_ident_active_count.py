import threading

ident = threading.get_ident()
print(isinstance(ident, int), ident == threading.get_ident())
print(threading.active_count())
seen = []
def work():
    seen.append(threading.get_ident() != ident)

t = threading.Thread(target=work)
t.start()
t.join()
print(seen, threading.active_count())
