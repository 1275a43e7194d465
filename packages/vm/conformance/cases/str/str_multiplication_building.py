line = "=" * 20
print(line)
print("|" + "title".center(18) + "|")
print(line)
