for t in [lambda: b"a" + "b", lambda: bytes([256]), lambda: bytes("x"), lambda: b"a"[5]]:
    try:
        t()
    except (TypeError, ValueError, IndexError) as e:
        print(type(e), e)
