data = [(1, "a"), (2, "x"), (1, "b"), (2, "y"), (1, "c")]
print(sorted(data, key=lambda t: t[0], reverse=True))
data.sort(key=lambda t: t[0])
print(data)
print(sorted(["bb", "a", "cc", "d"], key=len, reverse=True))
