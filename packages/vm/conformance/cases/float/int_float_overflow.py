print(2 ** 1023 * 1.0)
try:
    print(2 ** 1024 * 1.0)
except OverflowError as e:
    print(e)
try:
    print(2.0 ** 2000)
except OverflowError as e:
    print(e)
