print(range(0) == range(2, 2), range(3) == range(0, 3, 1), list(range(3)) == [0, 1, 2])
