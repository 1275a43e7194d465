def to_base(n, b):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    out = ""
    neg = n < 0
    n = abs(n)
    while n:
        n, r = divmod(n, b)
        out = digits[r] + out
    return "-" + out if neg else out

for n in (0, 255, -255, 2 ** 64):
    print(n, to_base(n, 2), to_base(n, 16), to_base(n, 36))
print(sum(int(c) for c in str(2 ** 1000)))
