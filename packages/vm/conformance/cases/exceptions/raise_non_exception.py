try:
    raise 5
except TypeError as e:
    print(e)
try:
    raise "text"
except TypeError as e:
    print(e)
