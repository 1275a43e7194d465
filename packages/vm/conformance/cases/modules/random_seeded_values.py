import random

random.seed(42)
print(random.random())
print(random.randint(1, 100), random.randint(1, 100))
print(random.choice("abcdef"))
x = list(range(10))
random.shuffle(x)
print(x)
print(random.randrange(0, 50, 5))
print(round(random.uniform(1, 2), 6))
