log = []
def f():
    for i in range(3):
        try:
            try:
                try:
                    if i == 1:
                        return i
                finally:
                    log.append("a%d" % i)
            finally:
                log.append("b%d" % i)
        finally:
            log.append("c%d" % i)
    return -1

print(f(), log)
