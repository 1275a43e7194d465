def numbers():
    yield 1
    raise ValueError("inside generator")


g = numbers()
print(next(g))
try:
    next(g)
except ValueError as e:
    print("caught", e)
print(next(g, "finished"))
print(list(numbers.__name__))
