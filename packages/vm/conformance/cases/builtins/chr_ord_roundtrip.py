s = "Grüße, 世界! 😀"
codes = [ord(c) for c in s]
print(codes)
print("".join(chr(c) for c in codes) == s, len(s))
