pairs = [("a", 1), ("b", 2), ("a", 3)]
print({k: v for k, v in pairs}, [(b, a) for a, b in pairs])
print({v % 2: k for k, v in pairs})
