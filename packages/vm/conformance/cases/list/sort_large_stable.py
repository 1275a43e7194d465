data = [(i * 7919) % 101 for i in range(1000)]
pairs = [(v % 10, i) for i, v in enumerate(data)]
s = sorted(pairs, key=lambda p: p[0])
print(all(s[k][1] < s[k + 1][1] for k in range(len(s) - 1) if s[k][0] == s[k + 1][0]))
print(s[:5], s[-3:])
data.sort()
print(data[:10], data[-5:], data[500])
