def total(*args):
    return sum(args), len(args), args

print(total())
print(total(1, 2, 3))
nums = [4, 5]
print(total(*nums, 6))
