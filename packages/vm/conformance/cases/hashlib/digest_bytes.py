import hashlib

d = hashlib.sha256(b"a" * 3000).digest()
print(type(d), len(d), list(d[:4]), d.hex() == hashlib.sha256(b"a" * 3000).hexdigest())
