def f(*a):
    return a

print(f(*(x * x for x in range(4))), f(*"ab", *[1]), f())
