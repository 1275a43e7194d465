d = {"a": 1, "b": 2, "c": 3}
print(sorted(d.keys() & {"a", "z"}), sorted(d.keys() - {"b"}), sorted(d.keys() | {"q"}))
print(d.keys() == {"a", "b", "c"}, list(d.items())[::-1])
