print("a b c".split(maxsplit=1), "a,b,c".split(sep=",", maxsplit=1), "a b".rsplit(maxsplit=0), " x ".strip(None))
print(round(3.14159, ndigits=2), round(number=2.5), sorted("bca", key=None, reverse=True))
print(list(enumerate(["x"], start=5)))
print({"a": 1}.get("b", 2), [3, 1, 2].index(2, 1), "abc".find("c", 1, 3))
try:
    "x".center(width=5)
except TypeError as e:
    print("TypeError")
