try:
    g = (x for x in undefined_iterable)
except NameError as e:
    print("eager:", e)
g = (1 // x for x in [0])
print("created lazily")
try:
    next(g)
except ZeroDivisionError as e:
    print("on next:", e)
