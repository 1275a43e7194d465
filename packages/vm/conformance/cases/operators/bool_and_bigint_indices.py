a = list(range(10))
print(a[True], a[False:True], a[-10 ** 20:10 ** 20] == a, a[10 ** 20:], "abc"[True:])
print([1] * True, "ab" * True, list(range(True, 3)), (1, 2) * False)
d = {2 ** 70: "big"}
print(d[2 ** 70 + 0], hash(2 ** 70), 2 ** 70 in d)
