import sys

x = []
base = sys.getrefcount(x)
y = x
print(sys.getrefcount(x) - base)
holder = [x, x]
print(sys.getrefcount(x) - base)
del y
print(sys.getrefcount(x) - base)
holder.pop()
print(sys.getrefcount(x) - base)
d = {"k": x}
print(sys.getrefcount(x) - base)
d.clear()
holder.clear()
print(sys.getrefcount(x) - base)
