for n in [-3, 0, 4]:
    print("neg" if n < 0 else "zero" if n == 0 else "pos")
x = 1 if True else 1 / 0
print(x)
