a = [1, 2, 3, 4]
try:
    a[::2] = [9]
except ValueError as e:
    print(e)
print(a)
