print(sorted([3, 1, 2]), sorted("bca"), sorted({3: 0, 1: 0}), sorted([3, 1, 2], reverse=True))
print(sorted(["b", "A", "c"], key=str.lower), sorted([(1, "b"), (1, "a"), (0, "z")]))
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed((1, 2))))
a = [1, 2]
r = sorted(a)
print(r is a, r == a)
