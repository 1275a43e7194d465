print(True + 1, True * 3, False / 1, True == 1, False == 0)
print(True is True, bool(1) is True, isinstance(True, int))
print(str(True), repr(False), int(True))
print(sum([True, True, False]))
