print(list(range(5)), list(range(2, 6)), list(range(0, 10, 3)), list(range(5, 0, -1)))
print(list(range(0)), list(range(3, 1)), list(range(-3, 3, 2)))
print(range(5), range(1, 10, 2))
