results = []
for x in [1, 0, 2, "a", 4]:
    try:
        results.append(12 // x)
    except ZeroDivisionError:
        results.append("inf")
    except TypeError as e:
        results.append(str(e))
print(results)
