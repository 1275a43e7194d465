def trace(fn):
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__, args, kwargs)
        return fn(*args, **kwargs)
    return wrapper

def times(n):
    def deco(fn):
        def wrapper(x):
            for _ in range(n):
                x = fn(x)
            return x
        return wrapper
    return deco

@trace
def add(a, b=1):
    return a + b

@times(3)
def double(x):
    return x * 2

print(add(2, b=5), double(1))
