def f(data):
    results = []
    for row in data:
        try:
            total = 0
            for v in row:
                total += 10 // v
            results.append(total)
        except ZeroDivisionError:
            for k in range(2):
                results.append(("zero", k))
        except TypeError as e:
            results.append(str(e)[:20])
        else:
            results.append("ok")
    return results

print(f([[1, 2], [5, 0, 1], [1, "x"], []]))
