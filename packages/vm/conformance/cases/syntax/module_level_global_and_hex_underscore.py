global counter
counter = 0x_1F + 0b_1 + 0o_7
print(counter)
