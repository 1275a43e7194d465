a = [0] * 4
b = {}
a[1] = a[2] = b["x"] = 7
print(a, b)
i = 0
a[i], i = 5, 3
print(a, i)
