items = [3, 1, 2]
print(f"{sorted(items)} {sum(items)} {'yes' if items else 'no'} {len(items) * 2}")
d = {"k": 5}
print(f"{d['k']} {d}")
