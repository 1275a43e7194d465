# vm suite: function-call-heavy recursion. N is set by the suite.
N = 25


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


fib(N)
