import gc

a = []
a.append(a)
del a
n = gc.collect()
print(isinstance(n, int), n >= 0)
print(gc.collect() >= 0)
