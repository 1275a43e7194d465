attempts = 0
values = ["a", "", "7"]
while True:
    try:
        v = int(values[attempts])
    except ValueError:
        attempts += 1
        continue
    else:
        print("parsed", v, "after", attempts, "failures")
        break
    finally:
        print("attempt done")
