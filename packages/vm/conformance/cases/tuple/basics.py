t = (1, 2, 3)
print(t, len(t), t[0], t[-1], t[1:])
print((), (1,), (1, 2) + (3,), (0,) * 3)
print(t.index(2), t.count(3), 2 in t)
single = 5,
print(single, type(single))
