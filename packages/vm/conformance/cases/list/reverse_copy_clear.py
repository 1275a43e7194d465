a = [1, 2, 3]
b = a.copy()
a.reverse()
print(a, b)
c = a
c.clear()
print(a, b, c is a)
