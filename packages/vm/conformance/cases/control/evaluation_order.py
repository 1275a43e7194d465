log = []
def v(name, value):
    log.append(name)
    return value

d = {v("k1", 1): v("v1", "a"), v("k2", 2): v("v2", "b")}
r = v("f", max)(v("a1", 1), v("a2", 2))
x = [v("l0", 0)] * v("n", 2)
log.append("|")
a = [0, 0]
a[v("idx", 0)] += v("inc", 5)
print(log, d, r, a)
