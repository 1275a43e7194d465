print(list(enumerate("ab")), list(enumerate(["x", "y"], start=10)))
print(list(zip([1, 2, 3], "ab")), list(zip()), list(zip([1], [2], [3])))
names = ["a", "b"]
ages = [1, 2]
print(dict(zip(names, ages)))
