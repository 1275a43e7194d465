pairs = {"a": 1, "b": 2}
for i, (k, v) in enumerate(pairs.items()):
    print(i, k, v)
for a, b in zip([1, 2], "xy"):
    print(a, b)
