row = [1]
for _ in range(10):
    print(" ".join(str(v) for v in row).center(40).rstrip())
    row = [a + b for a, b in zip([0] + row, row + [0])]
