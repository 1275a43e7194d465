print("{0[1]} {1[k]}".format([1, 2], {"k": "v"}))
print("{:>{w}}|{:.{p}f}".format("x", 3.14159, w=5, p=2))
print("{!r:>8}".format("q"))
print("{:=+8d}|{:#o}".format(42, 8))
