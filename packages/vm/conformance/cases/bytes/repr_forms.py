print(b"it's", b'say "hi"', b"\t\n\r\\", bytes(range(0, 256, 37)))
print(repr(b""), str(b"x"), [b"a", b"b"])
