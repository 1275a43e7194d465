n = 7 ** 500
s = str(n)
print(len(s), s[:20], s[-20:], int(s) == n)
