import random

random.seed(99)
print(random.sample(range(100), 5))
print(random.sample(["a", "b", "c", "d"], 2))
print(random.getrandbits(32), random.getrandbits(70))
