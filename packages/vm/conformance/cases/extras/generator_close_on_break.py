def gen():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")


for x in gen():
    print("got", x)
    break
print("after loop")
g = gen()
print(next(g))
del g
print("after del")
