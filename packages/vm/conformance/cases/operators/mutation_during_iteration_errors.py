s = {1, 2, 3}
try:
    for x in s:
        s.add(x * 10)
except RuntimeError as e:
    print(e)
a = [3, 1, 2]
def key(v):
    a.append(0)
    return v
try:
    a.sort(key=key)
except ValueError as e:
    print(e)
d = {1: 1}
try:
    for k in d:
        del d[k]
except RuntimeError as e:
    print(e)
print(d)
