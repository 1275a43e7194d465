x = 5
try:
    x()
except TypeError as e:
    print(e)
try:
    "abc"()
except TypeError as e:
    print(e)
