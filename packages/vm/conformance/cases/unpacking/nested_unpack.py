data = [(1, ("a", "b")), (2, ("c", "d"))]
for n, (first, second) in data:
    print(n, first, second)
[x, y], z = [1, 2], 3
print(x, y, z)
