def inner():
    try:
        yield 1
        yield 2
    finally:
        print("inner cleanup")

def outer():
    yield 0
    yield from inner()
    yield 3

print(list(outer()))
