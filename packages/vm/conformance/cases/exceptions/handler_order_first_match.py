try:
    {}["x"]
except LookupError:
    print("LookupError first")
except KeyError:
    print("never")
