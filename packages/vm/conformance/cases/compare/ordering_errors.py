for a, b in [(1, "1"), ([1], (1,)), ("a", None)]:
    try:
        print(a < b)
    except TypeError as e:
        print(e)
print(1 == "1", [1] == (1,), None == 0)
