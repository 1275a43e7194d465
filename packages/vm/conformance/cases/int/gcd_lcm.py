def gcd(a, b):
    while b:
        a, b = b, a % b
    return a

def lcm(a, b):
    return a * b // gcd(a, b)

print(gcd(48, 18), gcd(17, 5), gcd(0, 9))
r = 1
for i in range(1, 31):
    r = lcm(r, i)
print(r)
