for i in range(300):
    print(i, i * i, i % 7 == 0)
