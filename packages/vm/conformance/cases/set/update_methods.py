s = {1, 2}
s.update([3, 4], (5,))
print(sorted(s))
s.intersection_update({1, 3, 5, 7})
print(sorted(s))
s.difference_update({1})
print(sorted(s))
