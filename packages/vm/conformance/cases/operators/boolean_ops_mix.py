a = [1, 2]
print(a and a[0], [] and [][0], 0 or 1 and 2, (0 or 1) and 2)
