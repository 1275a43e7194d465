a = b"ab"
print(a + b"cd", a * 2, a == b"ab", a < b"b", b"a" in b"cat")
print(b"".join([b"x", b"y", b"z"]))
