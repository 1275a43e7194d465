import random

random.seed(12345)
print(random.choices('abcde', k=5))
print(random.choices([1, 2, 3], weights=[10, 1, 1], k=6))
print(random.choices(range(4), cum_weights=[1, 2, 3, 10], k=4))
print(random.gauss(), random.gauss(10, 2), random.normalvariate(0, 1))
print(random.expovariate(0.5), random.triangular(1, 5, 2), random.lognormvariate(0, 1))
print(random.gammavariate(3.0, 2), random.betavariate(2, 5), random.paretovariate(3))
print(random.weibullvariate(1, 1.5), random.vonmisesvariate(1, 4), random.randbytes(5))
random.seed('hello')
print(random.random(), random.randint(1, 10**12))
random.seed(b'bytes seed')
print(random.random())
random.seed(2.5)
print(random.random())
state = random.getstate()
first = [random.random() for _ in range(3)]
random.setstate(state)
print(first == [random.random() for _ in range(3)], state[0], len(state[1]))
try:
    random.setstate((3, (1, 2), None))
except ValueError as e:
    print(e)
