try:
    "abc".index("z")
except ValueError as e:
    print(e)
try:
    print("abc"[5])
except IndexError as e:
    print(e)
