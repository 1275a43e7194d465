def inner():
    raise KeyError("root")

def middle():
    try:
        inner()
    except KeyError as e:
        raise ValueError("middle") from e

try:
    middle()
except ValueError as e:
    c = e.__cause__
    print(repr(e), repr(c), c.__cause__, e.__context__ is c)
