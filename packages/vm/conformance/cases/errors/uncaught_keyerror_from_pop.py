d = {}
d.setdefault("a", 1)
print(d)
d.pop("missing")
