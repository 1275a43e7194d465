def f():
    return len("abc")

print(f())
len = lambda s: 99
print(f())
del len
print(f())

def g():
    return value

try:
    g()
except NameError as e:
    print(e)
value = 1
print(g())
value = "rebound"
print(g())
def setter():
    global value
    value = [1, 2]
setter()
print(g())
del value
try:
    g()
except NameError as e:
    print(e)
