print(pow(2, 10), pow(2, 100, 1000), pow(3, 4, 5))
print(pow(2, -1), pow(-8, 2))
print(pow(7, 0), 0 ** 0)
print(pow(2.0, 3))
