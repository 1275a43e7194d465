r = range(10 ** 18)
print(len(r), r[-1], 10 ** 17 in r)
print(sum(range(1001)))
