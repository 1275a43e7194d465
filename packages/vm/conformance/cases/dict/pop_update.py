d = {"a": 1, "b": 2, "c": 3}
print(d.pop("b"), d)
print(d.pop("zz", "default"))
d.update({"d": 4, "a": 0})
print(d)
d.update(e=5)
print(d)
d.update([("f", 6)])
print(d)
