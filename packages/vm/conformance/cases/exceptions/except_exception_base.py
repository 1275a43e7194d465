for thunk in [lambda: 1 / 0, lambda: {}["x"], lambda: int("q"), lambda: None.foo]:
    try:
        thunk()
    except Exception as e:
        print(type(e), e)
