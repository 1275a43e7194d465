for v in [1, 1.0, "s", b"b", True, None, [1], (1,), {1: 2}, {1}, range(2)]:
    print(type(v))
print(type(1) is int, type(True) is bool, type("") == str)
print(type(len), type(lambda: 0))
