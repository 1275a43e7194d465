m = [[1, 2, 3], [4, 5], [6, 7, 8]]
print(list(zip(*m)), list(enumerate("abc", start=-1)))
print(*[], sep="-")
print("a", "b", sep=None, end=None)
