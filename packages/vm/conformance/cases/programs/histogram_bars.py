import random

random.seed(5)
rolls = [random.randint(1, 6) + random.randint(1, 6) for _ in range(300)]
hist = {}
for r in rolls:
    hist[r] = hist.get(r, 0) + 1
for total in range(2, 13):
    n = hist.get(total, 0)
    print(f"{total:>2} {'#' * (n // 3):<20} {n}")
