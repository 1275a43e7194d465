words = ["level", "hello", "Racecar", "noon", "abc"]
for w in words:
    lw = w.lower()
    print(w, lw == lw[::-1])
