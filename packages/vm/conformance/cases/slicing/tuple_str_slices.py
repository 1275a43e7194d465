t = (0, 1, 2, 3, 4)
print(t[1:3], t[::-2], "abcdef"[::2], "abcdef"[-2:])
