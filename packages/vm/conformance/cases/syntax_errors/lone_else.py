print("x")
else:
    pass
