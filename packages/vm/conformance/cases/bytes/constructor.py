print(bytes([65, 66, 67]), bytes(3), bytes())
print(bytes("hé", "utf-8"))
print(b"hi".decode(), b"caf\xc3\xa9".decode("utf-8"))
