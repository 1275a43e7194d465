print(sum([1, 2.5, True]), sum([10 ** 20, 1]), sum([0.1, 0.2, 0.3]), sum(range(10), -45))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print(e)
