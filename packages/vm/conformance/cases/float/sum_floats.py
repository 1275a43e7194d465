print(sum([0.1] * 10))
print(sum([1.5, 2.5, 3.0]))
print(sum(i / 10 for i in range(10)))
total = 0.0
for i in range(10):
    total += 0.1
print(total, total == 1.0)
