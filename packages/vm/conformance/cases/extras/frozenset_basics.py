fs = frozenset([3, 1, 2, 3])
print(sorted(fs), len(fs), 2 in fs, fs == {1, 2, 3}, frozenset())
d = {fs: "key"}
print(d[frozenset({1, 2, 3})], sorted(fs | {9}), type(fs | {9}))
try:
    fs.add(4)
except AttributeError as e:
    print(e)
