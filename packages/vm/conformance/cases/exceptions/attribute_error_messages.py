for thunk in [lambda: (1).foo, lambda: "s".nope, lambda: [].push, lambda: None.x]:
    try:
        thunk()
    except AttributeError as e:
        print(e)
