a = [1, 2]
a += [3]
a *= 2
print(a, a + a[:1], a * 0)
