x = 12.0
print(str(x), repr(x))
print(str(1e-7), str(123.456))
print([1.0, 2.25, 0.1])
print((0.5,))
print({"k": 1.25})
