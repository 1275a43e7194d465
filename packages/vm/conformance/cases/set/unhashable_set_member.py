try:
    {[1, 2]}
except TypeError as e:
    print(e)
try:
    set([{}])
except TypeError as e:
    print(e)
