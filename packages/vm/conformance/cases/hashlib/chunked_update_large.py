import hashlib

h = hashlib.sha256()
for i in range(5):
    h.update(bytes([i]) * 1000)
print(h.hexdigest())
print(hashlib.sha256(b"".join(bytes([i]) * 1000 for i in range(5))).hexdigest() == h.hexdigest())
