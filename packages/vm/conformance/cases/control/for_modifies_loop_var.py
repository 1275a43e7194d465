for i in range(3):
    print(i, end=" ")
    i = 100
print(i)
