for key in [(1, 2), "s", 3, None]:
    try:
        {}[key]
    except KeyError as e:
        print(str(e), repr(e))
