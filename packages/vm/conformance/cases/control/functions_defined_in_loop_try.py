fs = []
for i in range(3):
    try:
        def f(x, i=i):
            if i == 1:
                raise KeyError(i)
            return x + i
        fs.append(f)
    finally:
        pass
for f in fs:
    try:
        print(f(10))
    except KeyError as e:
        print("KeyError", e)
