x = float("nan")
print([x] == [x], x in [x], x == x, [float("nan")] == [float("nan")])
