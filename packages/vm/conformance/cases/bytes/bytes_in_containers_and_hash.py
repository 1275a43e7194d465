d = {b"key": 1, "key": 2}
print(d[b"key"], d["key"], len(d), b"key" == "key")
print(sorted([b"b", b"a", b"ab"]), max(b"xyz"), min([b"z", b"y"]))
print(hash(b"abc") == hash(b"ab" + b"c"))
