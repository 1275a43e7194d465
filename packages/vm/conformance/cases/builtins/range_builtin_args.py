print(list(range(3)), list(range(1, 4)), list(range(10, 0, -3)))
try:
    range(1.5)
except TypeError as e:
    print(e)
