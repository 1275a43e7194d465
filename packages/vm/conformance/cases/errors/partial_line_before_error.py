print("complete line")
print("partial", end="")
print(" more", end="")
result = {}["missing"]
