def quicksort(a):
    if len(a) <= 1:
        return a
    pivot = a[len(a) // 2]
    return quicksort([x for x in a if x < pivot]) + [x for x in a if x == pivot] + quicksort([x for x in a if x > pivot])

print(quicksort([3, 6, 8, 10, 1, 2, 1, 7, -4, 0]))
print(quicksort(list("quicksort")))
