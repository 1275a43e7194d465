def f(a, b,):
    return a + b

print(f(1, 2,), [1, 2,], (1,), {"a": 1,}, {1, 2,})
x, y, = 1, 2
print(x, y)
