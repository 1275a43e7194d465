s = set()
for x in [5, 37, 69, 2, 101, 133, 7, 1000, 64, 96]:
    s.add(x)
s.discard(37)
s.discard(2)
print(list(s), list(s.copy()), list(frozenset(s)), list(set(s)))
d = {1: 'a', 33: 'b', 65: 'c'}
print(set(d), s.union([9]))
