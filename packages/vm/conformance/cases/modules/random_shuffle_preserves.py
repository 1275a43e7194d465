import random

random.seed(7)
a = list(range(20))
random.shuffle(a)
print(sorted(a) == list(range(20)), len(a))
print(random.choice([5]) == 5)
