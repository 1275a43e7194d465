print(str(ValueError(1, 2)), str(ValueError()), str(ValueError("")), str(KeyError()))
print(repr(ValueError(1, 2)), repr(Exception("a", "b")))
print(repr(ZeroDivisionError("division by zero")))
