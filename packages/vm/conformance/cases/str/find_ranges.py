s = "abcabcabc"
print(s.find("c", 3), s.find("c", 3, 5), s.rfind("a", 0, 5), s.count("abc", 1), s.index("b", -3))
print(s.startswith("bc", 1), s.endswith("ab", 0, 5))
