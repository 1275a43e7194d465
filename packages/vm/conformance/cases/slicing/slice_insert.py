a = [1, 5]
a[1:1] = [2, 3, 4]
print(a)
a[0:0] = [0]
print(a)
