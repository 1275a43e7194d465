a = [1, 2, 3, 4, 5, 6]
evens = []
for x in a:
    if x % 2 == 0:
        evens.append(x)
print(evens)
a = [x for x in a if x % 3]
print(a)
