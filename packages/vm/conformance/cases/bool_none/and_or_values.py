print(0 or "default", "set" or "default", [] or [] or 0)
print(1 and 2, 0 and 2, None and 1, "a" and "")
print(not 0, not "x", not None)
