print(tuple(), tuple([1, 2]), tuple("hi"), tuple(range(3)))
print(tuple(x * x for x in range(4)))
