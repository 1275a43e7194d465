def run(x):
    try:
        r = 10 / x
    except ZeroDivisionError:
        print("div by zero")
    else:
        print("ok", r)
    finally:
        print("finally", x)

run(2)
run(0)
