print(float("3.5"), float("  -2.25 "), float("1e3"), float("-0"))
print(float(7), float(True), float())
print(float("0.1"))
