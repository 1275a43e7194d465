s = "banana"
print(s.replace("a", "o"), s.replace("an", "AN", 1), s.replace("z", "q"))
print(s.find("an"), s.find("an", 2), s.find("x"), s.rfind("an"))
print(s.index("n"), s.count("a"), s.count("an"), s.count(""))
