errs = [ValueError("x"), KeyError("k"), ZeroDivisionError()]
print(errs)
print({"e": TypeError("t", 1)})
print(str(errs[1]), repr(str(errs[2])))
