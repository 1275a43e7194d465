print(list(map(str, [1, 2])), list(map(len, ["a", "bb"])), list(map(pow, [2, 3], [3, 2])))
print(list(filter(None, [0, 1, "", "x", None, [], [0]])), list(filter(str.isdigit, "a1b2")))
