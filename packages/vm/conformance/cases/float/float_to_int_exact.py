print(int(1e300) == 10 ** 300, int(1e20), int(2.0 ** 80))
print(round(1e20), round(123456789.987654321, 3))
print(int(float("1e25")))
