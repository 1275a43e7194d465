a = list(range(6))
a[::-2] = ["x", "y", "z"]
print(a)
a[5:0:-2] = [1, 2, 3]
print(a)
