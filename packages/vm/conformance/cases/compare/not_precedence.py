print(not 1 == 2, not (1 == 2), (not 1) == 2)
print(not 1 < 2 and 3 > 2, not (1 < 2 and 3 > 2))
