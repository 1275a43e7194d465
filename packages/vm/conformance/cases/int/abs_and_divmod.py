print(abs(-5), abs(5), abs(0), abs(-(2 ** 80)))
print(divmod(17, 5), divmod(-17, 5), divmod(2 ** 70, 3))
