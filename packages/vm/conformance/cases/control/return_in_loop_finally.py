def find(items, target):
    for i, v in enumerate(items):
        try:
            if v == target:
                return i
        finally:
            pass
    return -1

print(find("abc", "c"), find("abc", "z"))
