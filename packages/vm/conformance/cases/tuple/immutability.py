t = (1, [2, 3])
try:
    t[0] = 9
except TypeError as e:
    print(e)
t[1].append(4)
print(t)
