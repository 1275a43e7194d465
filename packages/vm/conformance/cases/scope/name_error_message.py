try:
    undefined_thing
except NameError as e:
    print(e)
def f():
    return also_missing + 1
try:
    f()
except NameError as e:
    print(e)
