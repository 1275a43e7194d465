print(isinstance(1, int), isinstance(1.0, int), isinstance(True, int), isinstance("s", str))
print(isinstance([], (tuple, list)), isinstance({}, dict), isinstance(None, int), isinstance(1.5, (int, float)))
print(isinstance(ValueError("x"), Exception), isinstance(range(1), range), isinstance(b"", bytes))
