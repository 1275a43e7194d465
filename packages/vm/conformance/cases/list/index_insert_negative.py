a = [1, 2, 3, 4, 2]
print(a.index(2, -2), a.index(2, 0, 3))
a.insert(-2, "i")
print(a, a.pop(-len(a)), a)
a[::-1] = list(range(len(a)))
print(a)
