def target(a, b=0, *rest, key=None, **extra):
    return (a, b, rest, key, sorted(extra.items()))

def wrapper(*args, **kwargs):
    return target(*args, **kwargs)

print(wrapper(1))
print(wrapper(1, 2, 3, key="k", z=1))
print(wrapper(*range(4), **{"key": 0}))
