# vm suite: a tight loop of bytecode (Beazley's countdown). N is set by the suite.
N = 10_000_000


def countdown(n):
    while n > 0:
        n -= 1


countdown(N)
