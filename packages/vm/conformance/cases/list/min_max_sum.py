a = [4, -2, 7, 0]
print(min(a), max(a), sum(a), sum(a, 10))
print(max(a, key=abs), min(a, key=lambda x: -x))
