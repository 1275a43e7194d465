s = "a😀b"
print(len(s), s[1], s[::-1], s.find("b"), s[2:], list(s))
print("😀" * 3, "😀" < "😁", ord(max(s)))
