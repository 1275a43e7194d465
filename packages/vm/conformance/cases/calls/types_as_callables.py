for t in (int, float, str, bool, list, tuple):
    print(t("1") if t not in (list, tuple) else t("12"))
conv = type(5)
print(conv("42") + 1, type("")(3.5), type([])((1, 2)))
