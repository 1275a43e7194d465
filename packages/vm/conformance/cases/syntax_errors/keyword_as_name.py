print("x")
def = 3
