a = [1, 2]
a.extend(a)
print(a)
a += a[:1]
a[len(a):] = a
print(a, len(a))
