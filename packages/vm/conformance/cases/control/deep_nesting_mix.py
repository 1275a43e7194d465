def run():
    acc = []
    for a in range(3):
        for b in range(3):
            try:
                if a == b:
                    continue
                try:
                    acc.append(a * 10 // (b - 1))
                except ZeroDivisionError:
                    acc.append(None)
                    if a == 2:
                        return acc
            finally:
                acc.append(".")
    return acc

print(run())
