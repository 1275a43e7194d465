print(5.0 % 2)
print(5.0 % 0)
