import os
import time

a = time.perf_counter_ns()
b = time.monotonic_ns()
print(isinstance(a, int), isinstance(b, int), time.perf_counter_ns() >= a, time.time_ns() > 10 ** 18)
print(os.cpu_count() >= 1)
