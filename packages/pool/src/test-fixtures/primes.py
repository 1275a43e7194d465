# Pure-Python prime counter: the MiniPy task of the pool tests (also valid CPython).
import threading

calls = 0


def count_primes(limit):
    global calls
    calls += 1
    count = 0
    for n in range(2, limit):
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count


def bump(_):
    global calls
    calls += 1
    return [threading.get_ident(), calls]


def describe(a, b):
    return {'sum': a + b, 'pair': (a, b), 'items': [a] * 2}


def check(x):
    if x < 0:
        raise ValueError('negative: ' + str(x))
    return x
