d = {1: "int"}
d[1.0] = "float"
d[True] = "bool"
print(d, len(d))
d2 = {0: "zero"}
print(d2[-0.0], d2[False], 0.0 in d2)
