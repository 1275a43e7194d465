print(min(3, 1, 2), max(3, 1, 2), min([5, 4]), max("abc"))
print(max([1, -5, 3], key=abs), min(["bb", "a", "ccc"], key=len))
print(max([], default="empty"), min((), default=0))
print(max((1, "a"), (1, "b")), max(2, 2.0), max(2.0, 2))
