def square(x):
    return x * x

def apply(f, values):
    return [f(v) for v in values]

ops = {"sq": square, "neg": lambda x: -x, "abs": abs}
for name in ["sq", "neg", "abs"]:
    print(name, apply(ops[name], [-2, 3]))
