def forever(n):
    return list(map(forever, [n + 1]))

print("start")
forever(0)
