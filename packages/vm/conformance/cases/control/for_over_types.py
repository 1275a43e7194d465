for x in (1, 2):
    print(x, end=" ")
for k in {"a": 1, "b": 2}:
    print(k, end=" ")
for c in "hi":
    print(c, end=" ")
for b in b"AB":
    print(b, end=" ")
for i, v in enumerate([10, 20], start=1):
    print(i, v, end=" ")
print()
