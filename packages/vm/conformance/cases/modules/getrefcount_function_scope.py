import sys

def probe(obj):
    return sys.getrefcount(obj)

data = [1, 2, 3]
outside = sys.getrefcount(data)
inside = probe(data)
print(inside > outside, inside - outside >= 1)
