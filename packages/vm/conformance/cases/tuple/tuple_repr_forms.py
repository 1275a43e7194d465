print((), (1,), (1, 2), ((1,),), (None, "s", 2.5), tuple([[]]))
print(str((1, "a")), repr(("x",)))
