d = {"b": 1, "a": 2}
d.update({"a": 3, "c": 4})
d["b"] = 5
print(d, list(d.items())[0])
