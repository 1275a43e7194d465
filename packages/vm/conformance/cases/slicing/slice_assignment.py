a = list(range(6))
a[1:3] = ["a", "b", "c"]
print(a)
a[:2] = []
print(a)
a[len(a):] = [100, 101]
print(a)
a[::2] = [0] * len(a[::2])
print(a)
a[:] = "xy"
print(a)
