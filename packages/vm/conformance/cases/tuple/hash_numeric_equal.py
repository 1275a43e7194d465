print(hash((1,)) == hash((1.0,)), (1, 2) == (1.0, 2.0), {(1, 2): "x"}[(1.0, 2)])
try:
    {([1],): 1}
except TypeError as e:
    print(e)
