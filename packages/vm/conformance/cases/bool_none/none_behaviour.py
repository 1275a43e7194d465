x = None
print(x, x is None, x is not None, x == None, repr(None))  # noqa: E711
def f():
    pass
print(f())
print(type(None))
