a = {1, 2, 3}
print(sorted(a.union([4], (5,))), sorted(a.intersection(range(2, 10))), sorted(a.difference("x")))
try:
    a | [4]
except TypeError as e:
    print(e)
