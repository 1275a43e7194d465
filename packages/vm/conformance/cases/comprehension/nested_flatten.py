matrix = [[1, 2, 3], [4, 5], [6]]
print([v for row in matrix for v in row])
print([sum(row) for row in matrix])
print([[r[i] for r in [[1, 2], [3, 4]]] for i in range(2)])
