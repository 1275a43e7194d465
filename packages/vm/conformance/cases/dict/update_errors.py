d = {}
try:
    d.update([("a", 1), ("b",)])
except ValueError as e:
    print(e)
print(d)
try:
    dict([1, 2])
except TypeError as e:
    print(e)
