for s in ["", "a", "ab", "abc"]:
    for w in range(len(s), len(s) + 4):
        print(repr(s.center(w, "*")), repr(f"{s:*^{w}}"))
