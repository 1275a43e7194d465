pairs = [[(i, j) for j in range(i)] for i in range(4)]
print(pairs)
print([[c * n for c in "ab"] for n in range(1, 3)])
