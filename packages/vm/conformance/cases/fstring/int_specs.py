n = 255
print(f"{n:d} {n:x} {n:X} {n:o} {n:b} {n:#x} {n:#b}")
print(f"{n:08b} {n:05d} {-n:05d} {n:+d} {-n:+d} {n: d}")
print(f"{1234567:,} {1234567:_} {1234567.891:,.2f}")
print(f"{2 ** 70:,}")
