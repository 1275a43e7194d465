d = {1: "int", 1.5: "float", "1": "str", (1, 2): "tuple", None: "none", True: "bool"}
print(d)
print(d[1], d[1.0], d[True])
print(len(d))
