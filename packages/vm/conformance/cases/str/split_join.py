s = "the quick  brown fox"
print(s.split())
print(s.split(" "))
print("a,b,,c".split(","))
print("a,b,c,d".split(",", 2))
print("-".join(["x", "y", "z"]))
print("".join(reversed("hello")))
print(", ".join(str(i) for i in range(5)))
