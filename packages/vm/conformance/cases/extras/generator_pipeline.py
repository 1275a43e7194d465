def read(lines):
    for line in lines:
        yield line.strip()

def nonempty(items):
    for item in items:
        if item:
            yield item

def numbered(items):
    n = 0
    for item in items:
        n += 1
        yield f"{n}: {item}"

lines = ["  alpha ", "", " beta", "   ", "gamma  "]
for out in numbered(nonempty(read(lines))):
    print(out)
