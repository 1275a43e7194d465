print(abs(-3), abs(3.5), abs(-0.0), abs(True))
print(round(2.567, 1), round(-2.5), round(12345, -2), round(15, -1), round(25, -1))
print(divmod(9, 4), divmod(-9, 4), divmod(9.0, 4))
print(pow(3, 3), pow(2, 0.5), pow(10, 20, 7), pow(-2, 3))
