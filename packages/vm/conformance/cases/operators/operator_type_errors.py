cases = [lambda: 1 + "a", lambda: "a" + 1, lambda: [1] + (1,), lambda: "a" * "b", lambda: {} + {}, lambda: -"x"]
for c in cases:
    try:
        c()
    except TypeError as e:
        print(e)
