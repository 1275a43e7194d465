def pair():
    x = 0
    def get():
        return x
    def set_(v):
        nonlocal x
        x = v
    return get, set_

g, s = pair()
print(g())
s(42)
print(g())
