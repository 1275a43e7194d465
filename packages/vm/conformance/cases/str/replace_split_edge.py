print("abc".replace("", "-"), "aaa".replace("a", "b", 0), "aaa".replace("aa", "b"))
print("a b c".split(" ", 0), " x ".strip(""), "abc".split("c"), "cabc".split("c"))
print("".join([]), "ab".join("xyz"), "x".join(["only"]))
