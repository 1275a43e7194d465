import multiprocessing


def cube(x):
    return x ** 3


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    print(sum(pool.map(cube, range(20))))
    pool.close()
    pool.join()
