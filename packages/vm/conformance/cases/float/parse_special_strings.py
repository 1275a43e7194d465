for s in ["1e-400", "1e400", "-nan", " inf ", "infinity", "+Inf", "nAn", "-0.0", "1_000.5", ".5e1", "5.", "0x10"]:
    try:
        print(repr(s), float(s))
    except ValueError as e:
        print(e)
