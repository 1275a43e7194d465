d = {"a": 1, "b": 2}
e = d.copy()
del d["a"]
print(d, e)
d.clear()
print(d, len(d), e)
