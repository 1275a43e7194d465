print("a b c d".rsplit(None, 1), "a,b,c".rsplit(",", 1), "a,b,c".split(",", -1), "x".split(","))
