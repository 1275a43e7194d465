import multiprocessing

n = multiprocessing.cpu_count()
print(isinstance(n, int), n >= 1)
