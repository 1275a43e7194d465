items = [(12, 4), (2, 2), (1, 1), (1, 2), (4, 10)]
cap = 15
best = [0] * (cap + 1)
for value, weight in items:
    for c in range(cap, weight - 1, -1):
        best[c] = max(best[c], best[c - weight] + value)
print(best[cap], best)
