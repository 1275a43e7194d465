x = 5
print(f"{{{x}}}", f"{'a' + 'b'}", f"{x!r:>4}", f"{'q'!r}")
print(f"{x:{'>'}{3}}", f"{[i for i in range(3)]}", f"{ {'k': 1}['k'] }")
