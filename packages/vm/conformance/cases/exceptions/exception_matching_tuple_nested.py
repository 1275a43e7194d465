errors = (ValueError, (TypeError, KeyError))
for exc in [ValueError("v"), KeyError("k"), TypeError("t")]:
    try:
        raise exc
    except errors as e:
        print("caught", repr(e))
