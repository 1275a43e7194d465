def f():
    try:
        pass
    except ZeroDivisionError:
        return "handled"
    else:
        return 1 / 0

try:
    f()
except ZeroDivisionError as e:
    print("escaped from else:", e)
