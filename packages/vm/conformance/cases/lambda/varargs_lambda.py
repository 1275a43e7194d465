f = lambda *a, **k: (a, sorted(k.items()))
print(f(1, 2, z=3, y=4))
g = lambda x, *, scale=1: x * scale
print(g(3), g(3, scale=4))
