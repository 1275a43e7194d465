import threading

out = {}
def work(a, b=0, *, label):
    out[label] = a + b

t = threading.Thread(target=work, args=(1,), kwargs={"b": 2, "label": "x"})
t.start()
t.join()
print(out, t.is_alive(), threading.main_thread().name, threading.main_thread() is threading.current_thread())
