words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len), sorted(words, key=lambda w: (len(w), w)))
print(sorted(words, key=lambda w: w[::-1]), sorted(range(-5, 6), key=abs), sorted([[2, 1], [1, 2], [1]]))
