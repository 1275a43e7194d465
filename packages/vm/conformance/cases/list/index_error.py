a = [1, 2, 3]
try:
    a[3]
except IndexError as e:
    print(e)
try:
    [].pop()
except IndexError as e:
    print(e)
try:
    a.remove(9)
except ValueError as e:
    print(e)
