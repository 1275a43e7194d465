a = [1, 2]
a.append(3)
a.extend([4, 5])
a.extend(range(6, 8))
a.insert(0, 0)
a.insert(100, 99)
a.insert(-1, 42)
print(a, len(a))
