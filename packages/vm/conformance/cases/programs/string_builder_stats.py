lines = ["alpha beta", "gamma", "", "delta epsilon zeta"]
stats = [(i, len(l), len(l.split())) for i, l in enumerate(lines, 1)]
for i, chars, words in stats:
    print(f"line {i}: {chars:2d} chars, {words} words")
print("total words:", sum(w for _, _, w in stats))
print("longest:", max(lines, key=len))
