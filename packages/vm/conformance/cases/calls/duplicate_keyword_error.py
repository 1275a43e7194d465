def f(**kw):
    return kw

try:
    f(**{"a": 1}, **{"a": 2})
except TypeError:
    print("TypeError")
print(f(**{"a": 1}, b=2))
