n = int("9" * 50)
print(n + 1, len(str(n * n)))
print(str(-10 ** 25))
