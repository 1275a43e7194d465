for s in ["1.0", "1e3", " 12 ", "-0", "+7", "0_7"]:
    try:
        print(repr(s), int(s))
    except ValueError as e:
        print(e)
