a = 7.5
b = 2.0
print(a + b, a - b, a * b, a / b)
print(a // b, a % b, -a // b, -a % b)
print(a ** 2, 2 ** 0.5, 9 ** 0.5)
print(divmod(7.5, 2), divmod(-7.5, 2))
