calls = []
def f(x):
    calls.append(x)
    return x

print(1 < f(0) < f(2))
print(f(1) < f(2) < f(3) < f(0) < f(9))
print(calls)
