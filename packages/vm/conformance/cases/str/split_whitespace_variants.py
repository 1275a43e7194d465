print(" a  b\tc\nd ".split(), "".split(), "   ".split(), "a b c".split(None, 1))
print("a  b".split(" "), "abc".split("abc"))
