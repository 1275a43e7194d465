try:
    raise ValueError
except ValueError as e:
    print("caught", repr(e), e.args)
