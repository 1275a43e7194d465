data = [(i * 7919) % 10007 for i in range(5000)]
index = {}
for pos, v in enumerate(data):
    index.setdefault(v % 100, []).append(pos)
print(len(index), sum(len(v) for v in index.values()), index[42][:5])
s = sorted(data)
print(s[:5], s[-5:], s[2500])
text = "".join(chr(97 + v % 26) for v in data)
print(len(text), text[:30], text.count("abc"))
uniq = set(data)
print(len(uniq), max(uniq), min(uniq))
nested = [[i] * 3 for i in range(1000)]
print(nested[::250], sum(map(sum, nested)))
