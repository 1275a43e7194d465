print(int("7"), float("7"), str(7), bool(7), list((7,)), tuple([7]), dict(a=7), set([7]))
print(bool(), list(), tuple(), dict(), str(), float(), int())
