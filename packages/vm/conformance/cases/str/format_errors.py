thunks = [
    lambda: "{".format(),
    lambda: "}".format(),
    lambda: "{0}{}".format(1, 2),
    lambda: "{:d}".format(1.5),
    lambda: format("s", "d"),
    lambda: "{}".format(),
    lambda: "{x}".format(),
    lambda: "{:,d}".format("x"),
    lambda: f"{1:q}",
]
for t in thunks:
    try:
        print(t())
    except (ValueError, IndexError, KeyError, TypeError) as e:
        print(type(e), e)
