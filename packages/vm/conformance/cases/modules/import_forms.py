import sys, time
import threading as th
from hashlib import sha256
from random import seed, randint as ri
from threading import Lock as L, Event

seed(3)
print(ri(1, 10), sha256(b"x").hexdigest()[:8], isinstance(L(), type(th.Lock())), Event().is_set())
print(type(sys.getswitchinterval()), callable(time.sleep))
def local_import():
    from time import monotonic as mono
    import gc as garbage
    return mono() >= 0, garbage.collect() >= 0
print(local_import())
