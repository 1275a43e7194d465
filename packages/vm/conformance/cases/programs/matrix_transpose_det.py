def det(m):
    if len(m) == 1:
        return m[0][0]
    total = 0
    for c in range(len(m)):
        minor = [row[:c] + row[c + 1:] for row in m[1:]]
        total += (-1) ** c * m[0][c] * det(minor)
    return total

m = [[2, -3, 1], [2, 0, -1], [1, 4, 5]]
print(det(m))
print([list(r) for r in zip(*m)])
