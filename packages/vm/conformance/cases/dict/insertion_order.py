d = {}
for k in ["z", "a", "m", "b"]:
    d[k] = len(d)
print(d)
del d["a"]
d["a"] = 99
print(d)
print(list(d))
