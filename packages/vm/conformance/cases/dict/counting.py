s = "mississippi"
counts = {}
for c in s:
    counts[c] = counts.get(c, 0) + 1
print(counts)
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
