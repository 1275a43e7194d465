s = "Ünïcödé Straße"
print(s.lower(), s.upper(), s.swapcase(), len(s.upper()))
print(s.find("ß"), s.split("ö"), s.replace("é", "e"))
