f = lambda x, g=lambda y: y * 2: g(x) + 1
print(f(5), f(5, lambda y: -y))
h = lambda: lambda: "inner"
print(h()())
