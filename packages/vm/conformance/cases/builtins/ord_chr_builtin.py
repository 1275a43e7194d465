print([ord(c) for c in "AZaz09"])
print("".join(chr(c) for c in range(65, 75)))
print(chr(0x263A), ord("\n"))
