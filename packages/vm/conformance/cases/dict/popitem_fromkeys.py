d = {"a": 1, "b": 2, "c": 3}
print(d.popitem(), d)
print(dict.fromkeys("xyz"), dict.fromkeys([1, 2], 0))
try:
    {}.popitem()
except KeyError as e:
    print("KeyError", e)
