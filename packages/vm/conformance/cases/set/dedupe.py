words = ["b", "a", "b", "c", "a"]
print(sorted(set(words)), len(set(words)))
print(sorted(set(range(10)) - {2, 4}))
