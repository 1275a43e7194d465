r = range(3, 30, 3)
print(r.index(9), r.count(9), r.count(10))
try:
    r.index(10)
except ValueError as e:
    print(e)
try:
    r[100]
except IndexError as e:
    print(e)
