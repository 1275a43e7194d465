try:
    range(1, 5, 0)
except ValueError as e:
    print(e)
