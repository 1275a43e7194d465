for s in ["plain", "naïve café", "日本語", "emoji 😀"]:
    b = s.encode("utf-8")
    print(len(s), len(b), b.decode("utf-8") == s, b[:4])
