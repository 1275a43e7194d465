print(sorted([3, 1, 2], reverse=True))
print(max([1, 5, 3], key=lambda v: -v))
print("a", "b", sep="")
print(int("10", base=2))
