for ch in "abc":
    print(ch, end=" ")
print()
print(list("xyz"), tuple("ab"))
print([c for c in "a1b2c3" if c.isdigit()])
