out = []
for i in range(3):
    try:
        try:
            if i == 1:
                raise ValueError(i)
            out.append("body%d" % i)
        finally:
            out.append("fin%d" % i)
    except ValueError:
        out.append("caught%d" % i)
print(out)
