a = [1, "two", 3.0, None, [4]]
print(len(a), "two" in a, 3 in a, None in a, [4] in a, 5 not in a)
