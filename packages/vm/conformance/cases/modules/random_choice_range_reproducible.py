import random

def draw(seed):
    random.seed(seed)
    return [random.choice("abcdef") for _ in range(8)], [random.randrange(10) for _ in range(8)]

a = draw(3)
b = draw(3)
print(a == b, all(c in "abcdef" for c in a[0]), all(0 <= v < 10 for v in a[1]))
