def risky():
    yield 1
    try:
        yield 1 // 0
    except ZeroDivisionError:
        yield "recovered inside"
    yield int("x")

out = []
try:
    for v in risky():
        out.append(v)
except ValueError as e:
    out.append(str(e))
print(out)
