a = "ab"
b = "cd"
print(a + b, a * 3, 3 * b, a * 0 == "")
c = a
c += "!"
print(a, c)
