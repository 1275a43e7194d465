i = 2 ** 53 - 3
total = 0
while i < 2 ** 53 + 3:
    total += i
    i += 1
print(i, total)
acc = 1
for k in range(1, 25):
    acc = acc * k
print(acc, acc // 10 ** 10, acc % 1000003)
