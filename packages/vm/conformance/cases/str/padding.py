print("7".zfill(3), "-7".zfill(4))
print("ab".center(6, "*"), "ab".ljust(5) + "|", "ab".rjust(5) + "|")
print("[" + "x".center(4) + "]")
