def collector():
    items = []
    def add(v):
        items.append(v)
        return len(items)
    add(1)
    add(2)
    return items, add(3)

print(collector())
