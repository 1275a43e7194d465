def f():
    len = lambda s: 42
    return len("abc")
print(f(), len("abc"))
list_ = list
print(list_("ab"))
