constructor = 1
toString = 2
hasOwnProperty = 3
__proto__ = 4
valueOf = 5
print(constructor, toString, hasOwnProperty, __proto__, valueOf)
d = {"__proto__": "p", "constructor": "c", "toString": "t"}
print(d, len(d), d["__proto__"], "hasOwnProperty" in d, d.get("valueOf"))
def f(**kw):
    return sorted(kw.items())
print(f(**{"__proto__": 1, "constructor": 2}))
for obj, name in [("abc", "constructor"), ([], "__proto__"), (1, "toString"), ({}, "hasOwnProperty")]:
    try:
        getattr(obj, name)
        print("found", name)
    except AttributeError as e:
        print(e)
s = set(["__proto__", "constructor"])
print(sorted(s), "__proto__" in s, "toString" in s)
