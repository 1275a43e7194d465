s = {1, 1.0, True}
print(len(s), s)
s2 = {0, False, 0.0}
print(len(s2))
