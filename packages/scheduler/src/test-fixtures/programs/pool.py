import multiprocessing, time

def countdown(n):
    while n > 0:
        n -= 1
    return n

def square(x):
    return x * x

if __name__ == "__main__":
    t = time.perf_counter()
    countdown(500_000)
    countdown(500_000)
    seq = time.perf_counter() - t
    t = time.perf_counter()
    with multiprocessing.Pool(2) as pool:
        r = pool.map(countdown, [500_000, 500_000])
        sq = pool.map(square, range(10))
    par = time.perf_counter() - t
    print(r, sq)
    print(f"pool {par/seq:.2f}x")
