total = 0
for byte in b"abc":
    total += byte
print(total, sum(b"abc"), max(b"abc"))
print(isinstance(b"x", bytes), type(b"x"))
