s = "héllo"
print(len(s), s.upper(), s[1])
e = "😀 ok"
print(len(e), e[0] == "😀", e[2:])
print(ord("é"), chr(233), ord("😀"), chr(128512) == "😀")
