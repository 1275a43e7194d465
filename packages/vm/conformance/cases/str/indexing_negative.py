s = "python"
print(s[0], s[-1], s[2], s[-3])
print(len(s), s[len(s) - 1])
