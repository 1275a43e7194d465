name = "World"
n = 3
print(f"Hello, {name}!")
print(f"{n} + {n} = {n + n}")
print(f"{name.upper()} {len(name)} {[1, 2][0]}")
print(f"{{braces}} {n}")
