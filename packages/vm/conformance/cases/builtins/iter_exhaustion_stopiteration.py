it = iter([1, 2])
out = []
while True:
    try:
        out.append(next(it))
    except StopIteration:
        break
print(out)
print(next(iter([]), None))
