pairs = [("b", 2), ("a", 2), ("c", 1), ("d", 3), ("e", 1)]
pairs.sort(key=lambda p: p[1])
print(pairs)
print(sorted(pairs, key=lambda p: (-p[1], p[0])))
