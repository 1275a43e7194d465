import multiprocessing


def add(a, b):
    return a + b


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    print(pool.starmap(add, [(1, 2), (3, 4), (5, 6)]))
    print(pool.apply(add, (10, 20)))
    pool.close()
    pool.join()
