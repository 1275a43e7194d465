b = b"hello"
print(b, len(b), b[0], b[-1], b[1:3])
print(list(b"AB"))
print(b"\x00\xff", b"a\nb")
