nums = [3, -1, 4, -1, 5]
print(sum(x * x for x in nums))
print(any(x < 0 for x in nums), all(x < 10 for x in nums))
print(max(abs(x) for x in nums), min(x for x in nums if x > 0))
print("-".join(str(x) for x in nums))
print(sorted(x for x in nums if x > 0))
