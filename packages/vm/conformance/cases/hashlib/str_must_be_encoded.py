import hashlib

try:
    hashlib.sha256("text")
except TypeError as e:
    print(e)
print(hashlib.sha256("text".encode()).hexdigest())
