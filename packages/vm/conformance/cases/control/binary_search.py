def bsearch(a, x):
    lo, hi = 0, len(a) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if a[mid] == x:
            return mid
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1

a = list(range(0, 100, 3))
print([bsearch(a, x) for x in (0, 3, 50, 51, 99, 100)])
