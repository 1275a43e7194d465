log = []
def f():
    try:
        log.append("try")
        return "ret"
    finally:
        log.append("finally")

print(f(), log)
def g():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
        finally:
            log.append(i)
g()
print(log)
