try:
    1 in "abc"
except TypeError as e:
    print(e)
print(b"a" == "a", "a" != b"a")
