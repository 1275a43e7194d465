x = 2 ** 62
for i in range(4):
    x = x * 2
    print(x, x - 1, -x)
y = 9223372036854775807
print(y + 1, y * y)
print((y + 1) // 2 == 2 ** 62)
