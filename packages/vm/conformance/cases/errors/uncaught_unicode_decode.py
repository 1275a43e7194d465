print(b"ok".decode())
print(b"\xff".decode())
