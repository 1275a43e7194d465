thunks = [
    lambda: len(),
    lambda: int("5", 1),
    lambda: range("a"),
    lambda: [1, 2][1.0],
    lambda: "abc" * 1.5,
    lambda: {}[[]],
    lambda: min(),
    lambda: sorted(5),
    lambda: abs(None),
    lambda: (1, 2)["x"],
    lambda: "a" < 1,
    lambda: [1] * "3",
    lambda: divmod("a", 1),
]
for t in thunks:
    try:
        t()
    except Exception as e:
        print(type(e), e)
