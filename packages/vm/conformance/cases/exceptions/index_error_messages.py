for t in [lambda: [][0], lambda: ()[0], lambda: ""[0], lambda: range(0)[0], lambda: b""[0], lambda: [].pop(), lambda: [1].pop(5)]:
    try:
        t()
    except IndexError as e:
        print(e)
