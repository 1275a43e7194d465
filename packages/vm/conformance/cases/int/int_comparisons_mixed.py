print(1 == 1.0, 2 < 2.5, 3 >= 3.0, 10 ** 20 > 1e19)
print(2 ** 53 + 1 == float(2 ** 53 + 1))
print(True + True, True * 10, False - 1)
