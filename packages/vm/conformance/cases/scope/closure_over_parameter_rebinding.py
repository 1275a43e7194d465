def make(n):
    fs = []
    while n > 0:
        fs.append(lambda n=n: n)
        n -= 1
    return [f() for f in fs]

print(make(4))
