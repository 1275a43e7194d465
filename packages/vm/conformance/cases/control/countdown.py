n = 100000
while n > 0:
    n -= 1
print(n)
