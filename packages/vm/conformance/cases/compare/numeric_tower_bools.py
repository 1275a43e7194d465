print(True + 1.5, True / 2, -True, ~True, True // 2, False ** 0, abs(-True))
print(pow(0, 0), 0.0 ** 0, int(-0.0), float("nan") in {float("nan")}, 1 in {1.0})
try:
    divmod(1, -0.0)
except ZeroDivisionError as e:
    print(e)
