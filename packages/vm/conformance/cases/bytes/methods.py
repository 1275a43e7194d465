b = b"  Mixed Case  "
print(b.strip(), b.upper(), b.lower())
print(b"a,b,c".split(b","), b"abc".replace(b"b", b"B"))
print(b"hello".startswith(b"he"), b"hello".find(b"l"), b"hello".count(b"l"))
print(b"\x01\xab".hex())
