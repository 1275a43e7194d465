nan = float("nan")
s = {nan}
print(nan in s, float("nan") in s, len({float("nan"), float("nan")}), len({nan, nan}))
print(float("nan") in [float("nan")], nan in [nan])
d = {nan: 1}
print(nan in d, float("nan") in d)
