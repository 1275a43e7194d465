t = (1, 2, 3)
for thunk in [lambda: t[3], lambda: t.index(9), lambda: t + [4], lambda: t.append(4)]:
    try:
        thunk()
    except Exception as e:
        print(type(e), e)
