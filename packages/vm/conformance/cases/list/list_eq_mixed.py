print([1, 2.0, True] == [1.0, 2, 1], [[]] == [[]], [1] == [1, 1])
try:
    print([1, "a"] < [1, 2])
except TypeError as e:
    print(e)
print([1, "a"] < [2, 2])
