for i in range(0, 130, 16):
    print(i, 2 ** i)
