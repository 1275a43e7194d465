for i in range(3):
    try:
        1 / 0
    finally:
        break
print("break in finally swallowed the error, i =", i)
out = []
for i in range(3):
    try:
        if i == 1:
            raise ValueError
        out.append(i)
    finally:
        continue
print(out)
