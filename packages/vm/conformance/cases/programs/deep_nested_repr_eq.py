a = []
cur = a
for i in range(300):
    nxt = []
    cur.append(nxt)
    cur = nxt
r = repr(a)
print(len(r), r[:10], r[-10:])
b = []
cur = b
for i in range(300):
    nxt = []
    cur.append(nxt)
    cur = nxt
print(a == b)
cur.append(1)
print(a == b)
