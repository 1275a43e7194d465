thunks = [
    lambda: int(None),
    lambda: float([]),
    lambda: list(5),
    lambda: dict(5),
    lambda: tuple(None),
    lambda: set(1),
    lambda: str(1, 2, 3, 4),
    lambda: bool(1, 2),
    lambda: chr("a"),
    lambda: ord(1),
    lambda: ord(""),
    lambda: round("x"),
    lambda: float("1e"),
    lambda: int("1", base=40),
]
for t in thunks:
    try:
        print(t())
    except Exception as e:
        print(type(e), e)
