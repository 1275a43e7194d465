d = {"x": 1}
print(d.get("x"), d.get("y"), d.get("y", 0))
print(d.setdefault("x", 5), d.setdefault("y", 7), d)
