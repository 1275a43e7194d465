print("x")
if True
    print("no colon")
