def f():
    try:
        return 1
    finally:
        return 2

def g():
    try:
        1 / 0
    finally:
        return "swallowed"

print(f(), g())
