print("\101\102\x43\u0044\U00000045", "\0" == "\x00", len("\0"))
print(b"\101\x42", "tab\there", "bell\a"[-1] == "\x07")
print("a\
b")
print(r"\q raw", len("\\q"))
