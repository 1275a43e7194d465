calls = []
def t(v):
    calls.append(v)
    return v
r = t(0) and t(1)
r2 = t(2) or t(3)
r3 = t(0) or t(None) or t(4)
print(r, r2, r3, calls)
