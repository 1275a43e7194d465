r = range(10 ** 15)
print(len(r), r[-1], 10 ** 14 in r)
print(sum(range(1001)))
