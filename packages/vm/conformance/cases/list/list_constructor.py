print(list(), list("abc"), list(range(3)), list((1, 2)), list({"a": 1, "b": 2}))
