def nothing():
    return

def many():
    return 1, 2, 3

print(nothing(), many())
a, *rest = many()
print(a, rest)
