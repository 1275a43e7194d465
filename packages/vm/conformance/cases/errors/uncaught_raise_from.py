try:
    [][0]
except IndexError as e:
    raise LookupError("wrapped") from e
