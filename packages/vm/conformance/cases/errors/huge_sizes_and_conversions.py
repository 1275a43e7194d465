thunks = [
    lambda: [0] * 10 ** 20,
    lambda: "ab" * 10 ** 20,
    lambda: [1, 2][10 ** 20],
    lambda: "abc"[2 ** 64],
    lambda: bytes(10 ** 20),
    lambda: chr(2 ** 70),
    lambda: int(float("inf")),
    lambda: int(float("nan")),
    lambda: 1 << -1,
    lambda: 2 ** -(10 ** 20),
    lambda: divmod(10 ** 400, 1.5),
    lambda: round(float("inf")),
    lambda: 10 ** 400 * 1.0,
]
for t in thunks:
    try:
        print(repr(t()))
    except (OverflowError, ValueError, IndexError, MemoryError) as e:
        print(type(e), e)
try:
    10.0 ** (10 ** 20)
except OverflowError as e:
    print(type(e))
