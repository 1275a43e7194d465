print(isinstance(True, bool), isinstance(1, bool), isinstance(True, (str, int)), type(True) == int)
print(bool("False"), bool(0.0), bool(-0.0), bool(" "))
