def counter(start):
    total = start
    def bump(k):
        nonlocal total
        total += k
    while total < start + 10:
        bump(3)
        yield total

print(list(counter(0)), list(counter(100)))
gens = [(x * k for x in range(3)) for k in range(3)]
print([list(g) for g in gens])
