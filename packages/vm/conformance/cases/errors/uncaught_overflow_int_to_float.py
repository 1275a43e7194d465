x = 10 ** 400
print("big ok", len(str(x)))
print(x / 3.0)
