a = {1, 2}
b = {1, 2, 3}
print(a <= b, a < b, b >= a, a == {2, 1}, a.issubset(b), b.issuperset(a), a.isdisjoint({7}))
