def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True

print([p for p in range(10 ** 6, 10 ** 6 + 100) if is_prime(p)])
print(is_prime(2 ** 31 - 1))
