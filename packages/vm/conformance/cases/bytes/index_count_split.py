b = b"a-b--c"
print(b.index(b"-"), b.rfind(b"-"), b.count(b"-"), b.split(b"-"), b.split(), b"  x  y ".split())
print(b.endswith(b"c"), b.replace(b"--", b"+"), b.partition(b"-"))
try:
    b.index(b"z")
except ValueError as e:
    print(e)
