print("x")
x + 1 = 2
