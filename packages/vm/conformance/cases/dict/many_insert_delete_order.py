d = {}
for i in range(200):
    d[i] = i
for i in range(0, 200, 3):
    del d[i]
for i in range(0, 30, 3):
    d[i] = -i
keys = list(d)
print(len(d), keys[:10], keys[-12:])
print(sum(d.values()))
