try:
    {}["x"]
except KeyError:
    raise ValueError("clean") from None
