x = 10
x += 5
print(x)
x -= 3
print(x)
x *= 4
print(x)
x //= 5
print(x)
x %= 4
print(x)
x **= 10
print(x)
x <<= 2
print(x)
x >>= 1
print(x)
x |= 1
x &= 0xFF
x ^= 0x0F
print(x)
x /= 4
print(x)
