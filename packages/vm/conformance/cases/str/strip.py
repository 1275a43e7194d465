s = "  \t padded \n "
print("[" + s.strip() + "]")
print("[" + s.lstrip() + "]")
print("[" + s.rstrip() + "]")
print("xxhixx".strip("x"), "abcba".strip("ab"))
