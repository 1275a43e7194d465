s = "a\x1cb\ufeffc\x85d\xa0e\u3000f"
print(s.split() == ["a", "b\ufeffc", "d", "e", "f"], len(s.split()))
print(repr("\x85\u2028 \xa0".strip()), "\ufeff".isspace(), "\x1c".isspace(), "\xa0".isspace())
print("a\x0bb\x0cc\x1cd\u2028e\r\nf".splitlines())
print(repr("\x85"), repr("\u2028"), repr("\xa0"), repr("\ufeff"))
