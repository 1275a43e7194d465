out = []
for i in range(20):
    if i % 2:
        continue
    if i > 10:
        break
    out.append(i)
print(out)
i = 0
while i < 10:
    i += 1
    if i == 3:
        continue
    if i == 7:
        break
    print(i, end=" ")
print()
