def check(x):
    assert isinstance(x, int), f"expected int, got {type(x)}"
    return x * 2

for v in [2, "s"]:
    try:
        print(check(v))
    except AssertionError as e:
        print("AssertionError:", e)
