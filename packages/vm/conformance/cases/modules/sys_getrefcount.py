import sys

x = [1, 2, 3]
n = sys.getrefcount(x)
print(isinstance(n, int), n >= 2)
