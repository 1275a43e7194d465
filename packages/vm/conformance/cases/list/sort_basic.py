a = [5, 2, 9, 1, 5, 6]
a.sort()
print(a)
a.sort(reverse=True)
print(a)
b = ["banana", "Apple", "cherry", "date"]
b.sort()
print(b)
b.sort(key=len)
print(b)
b.sort(key=str.lower, reverse=True)
print(b)
