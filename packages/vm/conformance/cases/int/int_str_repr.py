n = -12345
print(str(n), repr(n), len(str(n)))
print(str(2 ** 200))
print(f"{255:x} {8:o} {5:b}")
