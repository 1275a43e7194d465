def inner():
    try:
        raise ValueError("inner")
    except ValueError:
        print("handling")
        raise

try:
    inner()
except ValueError as e:
    print("outer got", e)
try:
    1 / 0
except:
    print("bare except")
