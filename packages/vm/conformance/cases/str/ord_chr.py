print(ord("a"), ord("A"), ord("0"), ord(" "))
print(chr(97), chr(65), chr(48))
print("".join(chr(ord(c) + 1) for c in "HAL"))
