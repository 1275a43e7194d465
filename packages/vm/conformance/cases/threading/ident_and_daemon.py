import threading

t = threading.Thread(target=lambda: None)
print(t.ident is None, t.daemon)
t.start()
t.join()
print(isinstance(t.ident, int), t.ident != threading.get_ident())
