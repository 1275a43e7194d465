import hashlib

data = b"x" * 5000
print(hashlib.sha256(data).hexdigest())
print(len(hashlib.sha256(data).digest()))
