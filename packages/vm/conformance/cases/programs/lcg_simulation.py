state = 12345
def rand():
    global state
    state = (1103515245 * state + 12345) % 2 ** 31
    return state

rolls = [rand() % 6 + 1 for _ in range(600)]
counts = [rolls.count(k) for k in range(1, 7)]
print(counts, sum(counts))
