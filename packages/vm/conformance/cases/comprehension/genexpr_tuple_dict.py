print(tuple(c for c in "abc"))
print(dict((i, str(i)) for i in range(3)))
print(list(zip((x for x in "ab"), [1, 2])))
