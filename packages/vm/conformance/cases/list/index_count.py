a = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
print(a.index(5), a.index(5, 5), a.count(5), a.count(7))
try:
    a.index(100)
except ValueError as e:
    print(e)
