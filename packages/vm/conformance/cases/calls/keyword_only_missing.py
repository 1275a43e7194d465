def f(*, k):
    return k

try:
    f()
except TypeError as e:
    print(e)
try:
    f(1)
except TypeError as e:
    print(e)
print(f(k=3))
