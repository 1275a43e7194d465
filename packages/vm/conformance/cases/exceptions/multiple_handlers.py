def f(v):
    try:
        if v == 0:
            raise ValueError("bad value")
        if v == 1:
            raise KeyError("k")
        if v == 2:
            return [][1]
        return "fine"
    except (ValueError, KeyError) as e:
        return "caught " + repr(e)
    except IndexError as e:
        return "index: " + str(e)

for v in range(4):
    print(f(v))
