print(list(map(lambda x: x * 3, [1, 2, 3])))
print(list(filter(lambda x: x % 2, range(10))))
print(list(map(lambda a, b: a + b, [1, 2, 3], [10, 20, 30])))
