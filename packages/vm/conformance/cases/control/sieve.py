N = 100
is_p = [True] * (N + 1)
is_p[0] = is_p[1] = False
for i in range(2, int(N ** 0.5) + 1):
    if is_p[i]:
        for j in range(i * i, N + 1, i):
            is_p[j] = False
print([i for i in range(N + 1) if is_p[i]])
