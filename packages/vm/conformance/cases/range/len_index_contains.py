r = range(0, 100, 7)
print(len(r), r[0], r[3], r[-1], 14 in r, 15 in r)
print(range(10)[2:5], list(range(10)[::3]))
