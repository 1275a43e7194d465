out = []
for i in range(6):
    try:
        if i % 2:
            raise ValueError(i)
        out.append(i)
    except ValueError:
        if i == 5:
            break
        continue
    finally:
        out.append("f")
print(out)
