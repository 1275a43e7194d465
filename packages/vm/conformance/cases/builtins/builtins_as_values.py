fs = [len, str, abs]
print([f(-5) if f is abs else f("ab") for f in fs])
print(sorted(["10", "9", "100"], key=int), sorted(["10", "9", "100"]))
