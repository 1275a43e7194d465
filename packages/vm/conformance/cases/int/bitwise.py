a = 0b1100
b = 0b1010
print(a & b, a | b, a ^ b, ~a)
print(1 << 10, 1024 >> 3, -16 >> 2)
print(1 << 70)
print((1 << 70) >> 69)
print(~0, ~-1, -1 & 0xFF)
