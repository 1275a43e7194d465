print(3 in [1, 2, 3], "b" in {"a": 1, "b": 2}, 2 in (1, 2), 4 in {4}, "ell" in "hello")
print(3 not in [1, 2], 5 in range(10))
