def f():
    try:
        try:
            raise TypeError("deep")
        finally:
            print("inner finally")
    except TypeError as e:
        print("outer caught", e)
        return "done"
    finally:
        print("outer finally")

print(f())
