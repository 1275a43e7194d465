import gc

n = gc.collect()
print(isinstance(n, int), n >= 0)
