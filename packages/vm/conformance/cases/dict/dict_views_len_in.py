d = {"x": 1, "y": 2}
ks = d.keys()
print(len(ks), "x" in ks, 2 in d.values(), ("y", 2) in d.items())
print(sorted(d.values(), reverse=True))
