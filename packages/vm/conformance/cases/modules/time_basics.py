import time

t0 = time.perf_counter()
m0 = time.monotonic()
time.sleep(0.01)
t1 = time.perf_counter()
m1 = time.monotonic()
print(t1 >= t0, m1 >= m0, t1 - t0 >= 0.009)
print(isinstance(time.time(), float), isinstance(t0, float))
