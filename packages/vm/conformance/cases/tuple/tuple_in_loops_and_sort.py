records = [("bob", 25, 3.5), ("ann", 31, 2.0), ("cy", 25, 4.0)]
for name, age, score in sorted(records, key=lambda r: (r[1], -r[2])):
    print(f"{name:<4}{age:>3}{score:>5.1f}")
print(max(records, key=lambda r: r[2])[0], sorted(records)[0])
