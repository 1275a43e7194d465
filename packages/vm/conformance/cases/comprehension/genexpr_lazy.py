g = (x * 2 for x in range(5))
print(next(g), next(g))
print(list(g))
print(list(g))
