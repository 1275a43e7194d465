import multiprocessing


def shout(word):
    return word.upper() + "!"


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    result = pool.map(shout, ["a", "bc", "def"])
    pool.close()
    pool.join()
    print(result, multiprocessing.cpu_count() >= 1)
