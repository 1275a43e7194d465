s = "hi"
print(f"{s!r} {s!s} {[s]!s}")
print(f"{s=}")
x = 1.5
print(f"{x * 2=}")
