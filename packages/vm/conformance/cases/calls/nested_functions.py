def outer(x):
    def inner(y):
        return x + y
    return inner(10) + inner(20)

print(outer(1))
