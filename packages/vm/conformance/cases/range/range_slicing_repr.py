r = range(10)
print(r[::-1], r[2:8:3], r[-3:], range(0, 20, 5)[1:])
print(list(range(10, 0, -2)[1:3]), len(range(5, -5, -3)), range(5, -5, -3)[-1])
print(range(3) == [0, 1, 2], range(0, 3) == range(3))
