d = {"a": 1, "b": 2}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["b"])
print("a" in d, "z" in d, "z" not in d)
