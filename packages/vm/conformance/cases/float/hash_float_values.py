print(hash(0.5), hash(1.5), hash(-0.5), hash(0.0), hash(-0.0), hash(2.0), hash(1e20))
print(hash(float("inf")), hash(float("-inf")))
