x = 1
y = [1, 2]
del x
try:
    print(x)
except NameError as e:
    print(e)
del y[0], y[0]
print(y)
