print("x")
1 = x
