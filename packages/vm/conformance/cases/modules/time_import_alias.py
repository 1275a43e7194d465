import time as t
from time import sleep, monotonic
start = monotonic()
sleep(0)
print(monotonic() >= start, t.sleep(0))
