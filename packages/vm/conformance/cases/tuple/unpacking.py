t = (1, "a", 2.5)
x, y, z = t
print(x, y, z)
a, b = b, a = 1, 2
print(a, b)
(p, q), r = (1, 2), 3
print(p, q, r)
