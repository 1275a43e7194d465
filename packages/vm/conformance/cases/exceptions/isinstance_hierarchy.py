try:
    raise KeyError("k")
except LookupError as e:
    print("LookupError caught", isinstance(e, KeyError), isinstance(e, Exception))
try:
    raise ZeroDivisionError("z")
except ArithmeticError as e:
    print("ArithmeticError caught", e)
print(isinstance(RecursionError(), RuntimeError), isinstance(UnboundLocalError(), NameError))
