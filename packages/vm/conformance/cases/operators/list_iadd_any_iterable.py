x = [1, 2]
x += (3,)
x += "ab"
x += range(2)
print(x)
try:
    x = x + (3,)
except TypeError as e:
    print(e)
