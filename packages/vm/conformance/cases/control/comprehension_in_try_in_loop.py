rows = ["1 2 3", "4 x 6", "7 8 9"]
parsed = []
for r in rows:
    try:
        parsed.append([int(t) for t in r.split()])
    except ValueError as e:
        parsed.append(str(e))
print(parsed)
print(sum(sum(p) for p in parsed if isinstance(p, list)))
