def stamp():
    import time
    return isinstance(time.monotonic(), float)

print(stamp())
