a = [1, 2.5, "s", None, True, (1,), [], {}]
print(a)
print(repr(a))
b = [a, a]
print(len(str(b)))
