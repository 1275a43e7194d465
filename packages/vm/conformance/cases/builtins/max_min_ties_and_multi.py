print(max([1, 3, 3, 2], key=lambda x: x % 3), max("a", "b", "B", key=str.lower), min(3, 1, 2, key=lambda x: -x))
print(max([("a", 1), ("b", 1)], key=lambda t: t[1]), min([[2], [1, 9]]))
try:
    max(1)
except TypeError as e:
    print(e)
