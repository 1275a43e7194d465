print(print, len, repr(abs))
print(int, str, type(None), ValueError)
print(repr(range(0, 10, 2)), repr(range(3)))
