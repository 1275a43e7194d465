count = [0]
def mid():
    count[0] += 1
    return 5
print(1 < mid() < 10, count)
print(10 < mid() < 20, count)
