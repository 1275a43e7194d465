for thunk in [lambda: len(5), lambda: 5[0], lambda: iter(5), lambda: sum(["a"]), lambda: abs("x"),
              lambda: int([1]), lambda: ord("ab"), lambda: sorted([1, None])]:
    try:
        thunk()
    except TypeError as e:
        print(e)
