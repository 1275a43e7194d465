print(any([]), all([]), any([0, "", None]), all([1, "x", [0]]), any([0, 1]), all([1, 0]))
print(any(x > 3 for x in range(5)), all(x < 5 for x in range(5)))
