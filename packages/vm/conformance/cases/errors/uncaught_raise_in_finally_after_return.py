def f():
    try:
        return 1
    finally:
        print("finally raising")
        raise KeyError("from finally")
print(f())
