print(sorted([3, 1, 2], key=None), max([1, 3], key=None), sorted("ba", key=None, reverse=False))
a = [2, 1]
a.sort(key=None)
print(a)
