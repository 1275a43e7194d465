print(list(reversed(range(5))), list(reversed(range(1, 10, 4))))
