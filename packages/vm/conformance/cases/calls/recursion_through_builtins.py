def depth_map(n):
    return 0 if n == 0 else 1 + sum(map(depth_map, [n - 1]))

def depth_count(n):
    return 0 if n == 0 else 1 + max(depth_count(k) for k in [n - 1])

print(depth_map(250), depth_count(200))
