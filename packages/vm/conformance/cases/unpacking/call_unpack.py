def f(a, b, c, d):
    return a * 1000 + b * 100 + c * 10 + d

args = [1, 2]
print(f(*args, *[3, 4]), f(*args, c=5, d=6), f(**{"a": 1, "b": 1, "c": 1, "d": 1}))
