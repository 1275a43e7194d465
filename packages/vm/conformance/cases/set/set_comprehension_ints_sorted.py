evens = {x for x in range(20) if x % 2 == 0}
print(sorted(evens), 10 in evens, 11 in evens, len(evens))
