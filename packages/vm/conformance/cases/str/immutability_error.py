s = "abc"
try:
    s[0] = "x"
except TypeError as e:
    print("TypeError:", e)
print(s)
