p, q = 61, 53
n = p * q
phi = (p - 1) * (q - 1)
e = 17
d = 2753
msg = 65
c = pow(msg, e, n)
print(n, c, pow(c, d, n))
print(pow(2, 2 ** 20, 10 ** 9 + 7))
