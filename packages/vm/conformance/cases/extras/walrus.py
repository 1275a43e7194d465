data = [3, 8, 1, 9, 4]
if (n := len(data)) > 3:
    print("long list", n)
print([y for x in data if (y := x * 2) > 6])
i = 0
while (chunk := data[i:i + 2]):
    print(chunk)
    i += 2
