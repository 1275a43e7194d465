for thunk in [lambda: int("abc"), lambda: int("1.5"), lambda: float("x"), lambda: [1].index(2),
              lambda: "a,b".split(""), lambda: max([]), lambda: chr(-1)]:
    try:
        thunk()
    except ValueError as e:
        print(e)
