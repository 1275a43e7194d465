try:
    1 / 0
except ZeroDivisionError:
    print("logging and re-raising")
    raise
