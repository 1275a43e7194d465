def make_cache(capacity):
    store = {}
    order = []
    stats = {"hits": 0, "misses": 0}
    def get(key, compute):
        if key in store:
            stats["hits"] += 1
            order.remove(key)
            order.append(key)
            return store[key]
        stats["misses"] += 1
        value = compute(key)
        store[key] = value
        order.append(key)
        if len(order) > capacity:
            del store[order.pop(0)]
        return value
    return get, stats, order

get, stats, order = make_cache(3)
for k in [1, 2, 3, 1, 4, 2, 5, 1, 3]:
    get(k, lambda x: x * x)
print(stats, order)
