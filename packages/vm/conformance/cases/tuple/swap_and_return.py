def minmax(a):
    return min(a), max(a)

lo, hi = minmax([4, 9, 1, 7])
print(lo, hi)
lo, hi = hi, lo
print(lo, hi)
r = minmax([3])
print(r, type(r) is tuple)
