import time

t0 = time.time()
time.sleep(0)
time.sleep(0.001)
print(time.time() >= t0, t0 > 1_600_000_000)
print(time.monotonic() <= time.monotonic())
