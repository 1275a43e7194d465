def f(n):
    factor = 3
    return [i * factor for i in range(n)], {k: factor for k in "ab"}, sum(factor for _ in range(n))

print(f(3))
