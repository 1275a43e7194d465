import hashlib

data = bytes(i % 251 for i in range(3000))
h = hashlib.sha256()
for i in range(0, len(data), 7):
    h.update(data[i:i + 7])
print(h.hexdigest() == hashlib.sha256(data).hexdigest(), h.name, h.digest_size, h.block_size)
c = h.copy()
h.update(b'more')
print(c.hexdigest(), h.hexdigest())
print(type(h).__name__)
