a = [0, 0, 0]
i = 0
i, a[i] = 1, 9
print(i, a)
x = y = []
x.append(1)
print(y)
