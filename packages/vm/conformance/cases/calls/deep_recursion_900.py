def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)

print(depth(900))
def sum_list(a, i=0):
    return 0 if i == len(a) else a[i] + sum_list(a, i + 1)
print(sum_list(list(range(800))))
