import threading

box = []


def who():
    box.append(threading.current_thread())
    box.append(sorted(t.name for t in threading.enumerate()))


t = threading.Thread(target=who, name='worker')
print(t.native_id, t.ident, t.is_alive())
t.start()
t.join()
print(box[0] is t, box[0].name, box[1])
print(type(threading.Lock()), type(threading.RLock()), threading.Thread, threading.Event)
print(type(threading.Lock()).__name__, repr(threading.RLock()).split(' at ')[0])
print([x.name for x in threading.enumerate()], threading.current_thread() is threading.main_thread())
u = threading.Thread(target=len, args=([],))
print(u.name)
