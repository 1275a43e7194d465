s = "  Hello, World!  "
print(s.strip().lower().replace(",", "").split())
print("-".join(w.capitalize() for w in "the end of it".split()))
