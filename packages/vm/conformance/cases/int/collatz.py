def steps(n):
    count = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        count += 1
    return count

print([steps(i) for i in range(1, 16)])
print(max(range(1, 200), key=steps))
