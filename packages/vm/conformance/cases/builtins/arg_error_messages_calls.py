thunks = [
    lambda: len(1, 2),
    lambda: range(1, 2, 3, 4),
    lambda: pow(2, 3, 0),
    lambda: pow(2.0, 3, 5),
    lambda: divmod(1, "a"),
    lambda: abs(),
    lambda: isinstance(1, 2),
    lambda: next([1]),
    lambda: hash({}),
    lambda: sum(1),
    lambda: sorted([2, 1], key=5),
    lambda: list(map(5, [1])),
    lambda: enumerate(5),
    lambda: zip(5),
    lambda: min(1, 2, key=5),
    lambda: print(sep=5),
]
for t in thunks:
    try:
        print(t())
    except Exception as e:
        print(type(e), e)
