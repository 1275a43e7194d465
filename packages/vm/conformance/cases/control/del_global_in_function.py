x = 1
def remove():
    global x
    del x

remove()
try:
    x
except NameError as e:
    print(e)
