a = [3, "a", 1]
try:
    a.sort()
except TypeError as e:
    print(e)
