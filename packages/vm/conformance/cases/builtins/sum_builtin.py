print(sum([1, 2, 3]), sum([]), sum(range(101)), sum([1.5, 2]), sum([[1], [2]], []))
print(sum((x for x in range(5)), 100))
