print((lambda x, y=2: x ** y)(5), (lambda *a: len(a))(1, 2, 3))
pick = (lambda: "yes") if 3 > 2 else (lambda: "no")
print(pick())
