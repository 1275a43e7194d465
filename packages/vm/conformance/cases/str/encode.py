s = "héllo"
b = s.encode()
print(b, len(b), b.decode() == s)
print("abc".encode("utf-8"))
