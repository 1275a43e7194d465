ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "//": lambda a, b: a // b}
for sym in sorted(ops):
    print(sym, ops[sym](17, 5))
pipeline = [lambda s: s.strip(), str.upper, lambda s: s.replace(" ", "_")]
value = "  hello world "
for step in pipeline:
    value = step(value)
print(value)
