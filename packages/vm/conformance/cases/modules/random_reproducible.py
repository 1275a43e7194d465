import random

random.seed(1234)
a = [random.random() for _ in range(5)]
b = [random.randint(1, 6) for _ in range(10)]
random.seed(1234)
a2 = [random.random() for _ in range(5)]
b2 = [random.randint(1, 6) for _ in range(10)]
print(a == a2, b == b2, all(0 <= x < 1 for x in a), all(1 <= x <= 6 for x in b))
