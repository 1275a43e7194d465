print(hash(1), hash(0), hash(-1), hash(-2), hash(True), hash(False))
print(hash(1) == hash(1.0), hash(2 ** 61 - 1), hash(2 ** 61))
print(hash("abc") == hash("a" + "bc"), hash((1, 2)) == hash((1, 2)))
try:
    hash([1])
except TypeError as e:
    print(e)
