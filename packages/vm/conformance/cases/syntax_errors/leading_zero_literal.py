print("x")
x = 0777
