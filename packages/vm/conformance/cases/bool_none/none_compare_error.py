try:
    None < 1
except TypeError as e:
    print(e)
