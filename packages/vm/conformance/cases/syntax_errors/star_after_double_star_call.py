a = [1]
k = {}
print(**k, *a)
