import random

random.seed(2024)
print([random.randint(0, 9) for _ in range(10)])
print(random.random())
random.seed(0)
print(random.randint(1, 1000), random.random())
