import threading

lock = threading.Lock()
with lock as got:
    print(got, lock.locked())
r = threading.RLock()
with r as got2:
    with r:
        print(got2)
cond = threading.Condition()
with cond as c:
    print(c)
