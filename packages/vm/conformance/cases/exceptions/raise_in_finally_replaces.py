try:
    try:
        raise ValueError("first")
    finally:
        raise KeyError("second")
except Exception as e:
    print(repr(e), repr(e.__context__))
