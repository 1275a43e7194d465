b = b"abc"
try:
    b[0] = 1
except TypeError as e:
    print(e)
print(b)
