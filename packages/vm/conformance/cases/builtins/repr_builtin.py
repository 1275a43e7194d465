for v in [1, -2.5, "a'b", "x", [1, "2"], (1,), (), {"a": None}, None, True, b"\x00a", range(3), 1e100]:
    print(repr(v))
