import time
try:
    time.no_such_function()
except AttributeError as e:
    print(e)
